/* test-demo-server.c — the reference server over real HTTP on a loopback
 * port: lifecycle, priorities, every route's shapes, the switches, counters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-demo-server.h"
#include "vigil-test-timeout.h"

/* 1 virtual second = 5 ms */
#define SPEED 200.0

typedef struct
{
  VigilDemoServer *server;
  SoupSession     *session;
  GMainLoop       *loop;
  char            *url;
  GPtrArray       *started;   /* job ids in job-started order */
  GPtrArray       *finished;  /* job ids in job-finished order */
  GArray          *statuses;  /* VigilJobStatus of each finished job */
} Fixture;

typedef struct
{
  guint     status;
  char     *content_type;
  char     *location;
  char     *body;
  gsize     length;
  JsonNode *root;  /* NULL unless the body is JSON */
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_free (reply->location);
  g_free (reply->body);
  g_clear_pointer (&reply->root, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static void
on_job_started (VigilDemoServer *server,
                const char      *job_id,
                Fixture         *f)
{
  g_ptr_array_add (f->started, g_strdup (job_id));
}

static void
on_job_finished (VigilDemoServer *server,
                 const char      *job_id,
                 int              status,
                 Fixture         *f)
{
  VigilJobStatus job_status = status;

  g_ptr_array_add (f->finished, g_strdup (job_id));
  g_array_append_val (f->statuses, job_status);
}

static void
fixture_listen (Fixture *f,
                guint    port)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_demo_server_listen (f->server, NULL, port, &error));
  g_assert_no_error (error);
  g_free (f->url);
  f->url = vigil_demo_server_get_url (f->server);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                            "speed", SPEED,
                            "song-seconds", 2.0,
                            "seed", (guint64) 42,
                            NULL);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->started = g_ptr_array_new_with_free_func (g_free);
  f->finished = g_ptr_array_new_with_free_func (g_free);
  f->statuses = g_array_new (FALSE, FALSE, sizeof (VigilJobStatus));

  g_signal_connect (f->server, "job-started", G_CALLBACK (on_job_started), f);
  g_signal_connect (f->server, "job-finished", G_CALLBACK (on_job_finished), f);
  fixture_listen (f, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->server, f);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  g_assert_finalize_object (f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->started, g_ptr_array_unref);
  g_clear_pointer (&f->finished, g_ptr_array_unref);
  g_clear_pointer (&f->statuses, g_array_unref);
}

/* ------------------------------------------------------------------ */
/* HTTP, asynchronously on the fixture's main loop                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  GMainLoop *loop;
  GBytes    *bytes;
  GError    *error;
} FetchState;

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  FetchState *state = data;

  state->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static Reply *
reply_new (SoupMessage *msg,
           GBytes      *bytes)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  Reply *reply = g_new0 (Reply, 1);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  reply->body = g_strndup (data, size);
  reply->length = size;

  if (g_strcmp0 (reply->content_type, "application/json") == 0)
    {
      g_autoptr(GError) error = NULL;

      reply->root = json_from_string (reply->body, &error);
      g_assert_no_error (error);
    }

  return reply;
}

/* header: one extra request header, "Name: value", or NULL */
static Reply *
fetch_full (Fixture          *f,
            const char       *method,
            const char       *path,
            const char       *body,
            const char       *header,
            SoupMessageFlags  flags)
{
  g_autofree char *uri = g_strconcat (f->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  FetchState state = { f->loop, NULL, NULL };

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  if (header != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (header, ": ", 2);

      soup_message_headers_replace (soup_message_get_request_headers (msg), parts[0], parts[1]);
    }
  soup_message_add_flags (msg, flags);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_fetched, &state);
  g_main_loop_run (f->loop);
  g_assert_no_error (state.error);

  bytes = state.bytes;
  return reply_new (msg, bytes);
}

static Reply *
get (Fixture    *f,
     const char *path)
{
  return fetch_full (f, "GET", path, NULL, NULL, 0);
}

static Reply *
post (Fixture    *f,
      const char *path,
      const char *body)
{
  return fetch_full (f, "POST", path, body, NULL, 0);
}

static Reply *
fetch_with_token (Fixture    *f,
                  const char *method,
                  const char *path,
                  const char *token)
{
  g_autofree char *header = token ? g_strconcat ("Authorization: Bearer ", token, NULL) : NULL;

  return fetch_full (f, method, path, NULL, header, 0);
}

static Reply *getf (Fixture    *f,
                    const char *format,
                    ...) G_GNUC_PRINTF (2, 3);

static Reply *
getf (Fixture    *f,
      const char *format,
      ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);

  return get (f, path);
}

/* ------------------------------------------------------------------ */
/* JSON checks                                                         */
/* ------------------------------------------------------------------ */

static JsonObject *
reply_object (const Reply *reply)
{
  g_assert_nonnull (reply->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->root));

  return json_node_get_object (reply->root);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

/* The whole body, compared as JSON (member order does not matter) */
static void
assert_reply (const Reply *reply,
              guint        status,
              const char  *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_nonnull (expected);
  if (!json_node_equal (reply->root, expected))
    g_error ("Expected %s, got %s", expected_json, reply->body);
}

static void
assert_progress_404 (Fixture    *f,
                     const char *job_id)
{
  g_autoptr(Reply) r = getf (f, "/api/progress/%s", job_id);

  assert_reply (r, 404, "{\"success\": false, \"error\": \"Job progress not found\"}");
}

/* GET /api/jobs/<id>/status → the job object */
static JsonObject *
job_record (Fixture    *f,
            const char *job_id,
            Reply     **out)
{
  Reply *r = getf (f, "/api/jobs/%s/status", job_id);
  JsonObject *root = reply_object (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "success");
  *out = r;

  return member_object (root, "job");
}

static JsonObject *
progress_record (Fixture    *f,
                 const char *job_id,
                 Reply     **out)
{
  Reply *r = getf (f, "/api/progress/%s", job_id);
  JsonObject *root = reply_object (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (root, "success"));
  *out = r;

  return member_object (root, "progress");
}

static char *
started_job_id (const Reply *reply)
{
  JsonObject *root = reply_object (reply);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (root, "success"));

  return g_strdup (json_object_get_string_member (root, "job_id"));
}

/* ------------------------------------------------------------------ */
/* Waiting                                                             */
/* ------------------------------------------------------------------ */

static gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
has_id (GPtrArray  *ids,
        const char *job_id)
{
  return g_ptr_array_find_with_equal_func (ids, job_id, g_str_equal, NULL);
}

/* Iterate the main loop (no requests) until job_id finished, or count jobs started */
static void
wait_for (Fixture    *f,
          const char *finished_id,
          guint       started_count)
{
  gint64 deadline = g_get_monotonic_time () + vigil_test_limit_ms (5000) * (gint64) 1000;
  guint wake = g_timeout_add (20, on_wake, NULL);

  while ((finished_id != NULL && !has_id (f->finished, finished_id)) ||
         f->started->len < started_count)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
}

/* The virtual clock nearly stops (a real second is a virtual millisecond):
 * checks of what a job is doing right now hold however slow the machine
 * is. run_clock() lets it go again. */
static void
freeze_clock (Fixture *f)
{
  g_object_set (f->server, "speed", 1e-3, NULL);
}

static void
run_clock (Fixture *f,
           double   speed)
{
  g_object_set (f->server, "speed", speed, NULL);
}

static char *
add_job (Fixture      *f,
         VigilJobKind  kind,
         gint64        target,
         guint         n_items,
         double        item_seconds,
         double        phase)
{
  return vigil_demo_server_add_job (f->server, kind, target, n_items, item_seconds, phase);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
check_pending (Fixture    *f,
               const char *job_id)
{
  g_autoptr(Reply) r = NULL;
  JsonObject *job = job_record (f, job_id, &r);
  JsonNode *progress = json_object_get_member (job, "progress");

  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "PENDING");
  g_assert_true (json_object_get_null_member (job, "started_at"));
  g_assert_true (JSON_NODE_HOLDS_VALUE (progress));
  g_assert_cmpfloat (json_node_get_double (progress), ==, 0.0);
  assert_progress_404 (f, job_id);
}

static void
check_running (Fixture    *f,
               const char *job_id)
{
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  JsonObject *progress = progress_record (f, job_id, &r1);
  JsonObject *job = job_record (f, job_id, &r2);

  g_assert_cmpstr (json_object_get_string_member (progress, "job_id"), ==, job_id);
  g_assert_cmpstr (json_object_get_string_member (progress, "job_type"), ==, "song_analysis");
  g_assert_cmpint (json_object_get_int_member (progress, "total_items"), ==, 1);
  g_assert_false (json_object_get_boolean_member (progress, "is_complete"));
  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "IN_PROGRESS");
  g_assert_cmpstr (json_object_get_string_member (job, "job_type"), ==, "SONG_ANALYSIS");
  g_assert_cmpstr (json_object_get_string_member (job, "priority"), ==, "HIGH");
  g_assert_nonnull (json_object_get_string_member (job, "started_at"));
  g_assert_cmpstr (json_object_get_string_member (member_object (job, "progress"), "job_id"), ==, job_id);
}

static void
check_completed (Fixture    *f,
                 const char *job_id)
{
  g_autoptr(Reply) r = NULL;
  JsonObject *job = job_record (f, job_id, &r);

  g_assert_cmpstr (json_object_get_string_member (job, "status"), ==, "COMPLETED");
  g_assert_cmpfloat (json_object_get_double_member (job, "progress"), ==, 1.0);
  g_assert_false (json_object_has_member (job, "error_message"));
  assert_progress_404 (f, job_id);
}

/* Slow enough that "on time" means half a real second. */
#define LIFECYCLE_SPEED 40.0

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  double t0, finish_a, finish_b;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  guint64 requests;

  freeze_clock (f);
  t0 = vigil_demo_server_get_virtual_time (f->server);
  a = add_job (f, VIGIL_JOB_KIND_SONG, 5, 1, 20.0, 0);
  b = add_job (f, VIGIL_JOB_KIND_SONG, 6, 1, 20.0, 0);

  check_pending (f, b);
  check_running (f, a);
  g_assert_cmpfloat (vigil_demo_server_get_finish_time (f->server, a), ==, -1);

  /* no requests while waiting: the server's own timer finishes the job */
  requests = vigil_demo_server_get_total_requests (f->server);
  run_clock (f, LIFECYCLE_SPEED);
  wait_for (f, a, 0);
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, requests);
  finish_a = vigil_demo_server_get_finish_time (f->server, a);
  g_assert_cmpfloat (finish_a, >=, t0 + 20.0);
  g_assert_cmpfloat (finish_a, <, t0 + 21.0);
  /* noticed on time (20 virtual s = 500 ms at this speed) */
  g_assert_cmpfloat (vigil_demo_server_get_virtual_time (f->server) - finish_a, <, 20.0);
  check_completed (f, a);

  wait_for (f, b, 0);
  finish_b = vigil_demo_server_get_finish_time (f->server, b);
  g_assert_cmpfloat_with_epsilon (finish_b - finish_a, 20.0, 1e-6);
  check_completed (f, b);

  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpstr (f->started->pdata[0], ==, a);
  g_assert_cmpstr (f->started->pdata[1], ==, b);
  g_assert_cmpstr (f->finished->pdata[0], ==, a);
  g_assert_cmpint (g_array_index (f->statuses, VigilJobStatus, 1), ==, VIGIL_JOB_STATUS_COMPLETED);
}

static void
check_queue_of_three (Fixture    *f,
                      const char *busy)
{
  g_autoptr(Reply) r = get (f, "/api/queue/status");
  JsonObject *queue = member_object (reply_object (r), "queue");
  JsonObject *breakdown = member_object (queue, "priority_breakdown");

  g_assert_cmpint (json_object_get_int_member (queue, "total_jobs"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (queue, "pending_jobs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (queue, "in_progress_jobs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (breakdown, "HIGH"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (breakdown, "MEDIUM"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (breakdown, "LOW"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (member_object (queue, "active_job"), "job_id"),
                   ==, busy);
}

static void
test_priority (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *busy = NULL;
  g_autofree char *background = NULL;
  g_autofree char *playlist = NULL;
  g_autofree char *song = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(Reply) r3 = NULL;

  g_object_set (f->server, "song-seconds", 0.5, NULL);
  /* the busy job must still run when the queue is looked at */
  freeze_clock (f);
  busy = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 40.0, 0);

  r1 = post (f, "/api/admin/reanalyze-user/1", NULL);
  background = started_job_id (r1);
  r2 = post (f, "/api/playlists/1/reanalyze-all", NULL);
  playlist = started_job_id (r2);
  r3 = post (f, "/api/songs/7/analyze", NULL);
  song = started_job_id (r3);
  check_queue_of_three (f, busy);

  run_clock (f, SPEED);
  wait_for (f, NULL, 4);
  g_assert_cmpstr (f->started->pdata[0], ==, busy);
  g_assert_cmpstr (f->started->pdata[1], ==, song);
  g_assert_cmpstr (f->started->pdata[2], ==, playlist);
  g_assert_cmpstr (f->started->pdata[3], ==, background);
}

static void
check_stats_page (Fixture    *f,
                  const char *job_id,
                  guint64     bytes)
{
  g_autoptr(Reply) r = get (f, "/_demo/stats");
  JsonObject *stats = reply_object (r);
  JsonObject *requests = member_object (stats, "requests");

  g_assert_cmpint (json_object_get_int_member (stats, "total_requests"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (stats, "response_bytes"), ==, bytes);
  g_assert_cmpint (json_object_get_int_member (requests, "/api/progress/{id}"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (requests, "/api/jobs/{id}/status"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "/api/progress"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "(unmatched)"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (member_object (stats, "jobs"), job_id), ==, 5);
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 1000.0, 0);
  /* prefix, and the suffix after the job id (NULL: no job id) */
  const char *paths[][2] = {
    { "/api/progress/", "" }, { "/api/progress/", "" }, { "/api/progress/", "" },
    { "/api/jobs/", "/status" }, { "/api/jobs/", "/status" },
    { "/api/progress", NULL }, { "/nope", NULL },
  };
  guint64 bytes = 0;

  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *path = g_strconcat (paths[i][0], paths[i][1] ? job : NULL, paths[i][1], NULL);
      g_autoptr(Reply) r = get (f, path);

      bytes += r->length;
    }

  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress/{id}"), ==, 3);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/jobs/{id}/status"), ==, 2);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress"), ==, 1);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/queue/status"), ==, 0);
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, job), ==, 5);
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 7);
  g_assert_cmpuint (vigil_demo_server_get_response_bytes (f->server), ==, bytes);

  check_stats_page (f, job, bytes);
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 7);

  vigil_demo_server_reset_stats (f->server);
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 0);
  g_assert_cmpuint (vigil_demo_server_get_response_bytes (f->server), ==, 0);
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, job), ==, 0);
}

static void
check_start_errors (Fixture *f)
{
  const char *cases[][2] = {
    { "/api/songs/9999/analyze",
      "{\"status\": \"error\", \"message\": \"Song with ID 9999 not found or access denied\"}" },
    { "/api/songs/abc/analyze",
      "{\"status\": \"error\", \"message\": \"Song with ID abc not found or access denied\"}" },
    { "/api/playlists/99/analyze-unanalyzed",
      "{\"success\": false, \"message\": \"Playlist with ID 99 not found or access denied\"}" },
    { "/api/playlists/0/reanalyze-all",
      "{\"success\": false, \"message\": \"Playlist with ID 0 not found or access denied\"}" },
    { "/api/admin/reanalyze-user/789",
      "{\"success\": false, \"error\": \"User with ID 789 not found\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) r = post (f, cases[i][0], NULL);

      assert_reply (r, 404, cases[i][1]);
    }
}

static void
test_start_shapes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Reply) song = post (f, "/api/songs/3/analyze", NULL);
  g_autoptr(Reply) unanalyzed = post (f, "/api/playlists/2/analyze-unanalyzed", NULL);
  g_autoptr(Reply) all = post (f, "/api/playlists/2/reanalyze-all", NULL);
  g_autoptr(Reply) user = post (f, "/api/admin/reanalyze-user/3", NULL);
  g_autofree char *song_job = started_job_id (song);
  g_autofree char *user_job = started_job_id (user);
  JsonObject *o;

  o = reply_object (song);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "success");
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "Song queued for analysis");
  g_assert_cmpint (json_object_get_int_member (o, "song_id"), ==, 3);
  g_assert_cmpuint (strlen (song_job), ==, 36);

  o = reply_object (unanalyzed);
  g_assert_cmpint (json_object_get_int_member (o, "queued_count"), ==, 16);
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "Queued 16 songs for analysis");
  g_assert_nonnull (json_object_get_string_member (o, "job_id"));

  o = reply_object (all);
  g_assert_cmpint (json_object_get_int_member (o, "queued_count"), ==, 27);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "success");

  o = reply_object (user);
  g_assert_cmpint (json_object_get_int_member (o, "queued_count"), ==, 249);
  g_assert_cmpint (json_object_get_int_member (o, "user_id"), ==, 3);
  g_assert_nonnull (json_object_get_string_member (o, "message"));
  g_assert_cmpstr (song_job, !=, user_job);

  check_start_errors (f);
}

static void
check_record_metadata (Fixture    *f,
                       const char *job_id)
{
  g_autoptr(Reply) r = NULL;
  JsonObject *job = job_record (f, job_id, &r);
  JsonObject *metadata = member_object (job, "metadata");

  g_assert_cmpstr (json_object_get_string_member (job, "job_type"), ==, "PLAYLIST_ANALYSIS");
  g_assert_cmpstr (json_object_get_string_member (job, "priority"), ==, "MEDIUM");
  g_assert_nonnull (json_object_get_string_member (job, "created_at"));
  g_assert_cmpint (json_object_get_int_member (job, "estimated_completion_minutes"), >, 0);
  g_assert_cmpint (json_object_get_int_member (metadata, "playlist_id"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (metadata, "playlist_name"), ==, "Workout Mix");
  g_assert_nonnull (json_object_get_string_member (metadata, "requested_at"));
}

static void
check_misc_routes (Fixture *f)
{
  g_autoptr(Reply) status_404 = get (f, "/api/jobs/nope/status");
  g_autoptr(Reply) login = get (f, "/login");
  g_autoptr(Reply) unknown = get (f, "/nope");
  g_autoptr(Reply) wrong_method = fetch_full (f, "DELETE", "/api/progress/x", NULL, NULL, 0);

  assert_progress_404 (f, "nope");
  assert_reply (status_404, 404, "{\"status\": \"error\", \"message\": \"Job with ID nope not found\"}");
  g_assert_cmpuint (login->status, ==, 200);
  g_assert_cmpstr (login->content_type, ==, "text/html");
  g_assert_nonnull (strstr (login->body, "<form"));
  assert_reply (unknown, 404, "{\"error\": \"Not found\"}");
  assert_reply (wrong_method, 405, "{\"error\": \"Method not allowed\"}");
}

static void
test_watch_shapes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 4, 0, 100.0, 0);
  g_autoptr(Reply) progress = NULL;
  g_autoptr(Reply) batch = NULL;
  JsonObject *p, *active;

  p = progress_record (f, job, &progress);
  g_assert_cmpint (json_object_get_int_member (p, "total_items"), ==, 23);
  g_assert_cmpstr (json_object_get_string_member (p, "job_type"), ==, "playlist_analysis");
  check_record_metadata (f, job);

  batch = get (f, "/api/progress");
  g_assert_cmpuint (batch->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (reply_object (batch), "success"));
  g_assert_cmpint (json_object_get_int_member (reply_object (batch), "total_active"), ==, 1);
  active = member_object (member_object (reply_object (batch), "active_jobs"), job);
  g_assert_cmpstr (json_object_get_string_member (active, "job_id"), ==, job);

  check_misc_routes (f);
}

static void
check_health (Fixture    *f,
              guint       http_status,
              const char *worker_status)
{
  g_autoptr(Reply) health = get (f, "/api/queue/health");
  g_autoptr(Reply) worker = get (f, "/api/worker/health");
  JsonObject *w = member_object (reply_object (worker), "worker");

  g_assert_cmpuint (health->status, ==, http_status);
  g_assert_cmpstr (json_object_get_string_member (reply_object (health), "status"), ==,
                   http_status == 200 ? "success" : "error");
  g_assert_true (json_object_has_member (reply_object (health), "queue_health"));
  g_assert_cmpuint (worker->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (w, "status"), ==, worker_status);
  g_assert_cmpint (json_object_get_int_member (w, "jobs_processed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (w, "jobs_failed"), ==, 0);
  g_assert_true (json_object_has_member (w, "uptime_seconds"));
  g_assert_true (json_object_has_member (w, "last_heartbeat"));
}

/* GET /api/queue/health: queue_health.queue_status.status_counts, 200 or 503 */
static JsonObject *
health_counts (Fixture    *f,
               guint       http_status,
               Reply     **out)
{
  Reply *r = get (f, "/api/queue/health");
  JsonObject *health = member_object (reply_object (r), "queue_health");
  JsonObject *queue_status = member_object (health, "queue_status");

  g_assert_cmpuint (r->status, ==, http_status);
  g_assert_true (json_object_get_boolean_member (health, "healthy") == (http_status == 200));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (health, "issues")));
  *out = r;

  return member_object (queue_status, "status_counts");
}

static void
assert_counts (JsonObject *counts,
               gint64      pending,
               gint64      in_progress,
               gint64      completed,
               gint64      failed)
{
  g_assert_cmpint (json_object_get_int_member (counts, "pending"), ==, pending);
  g_assert_cmpint (json_object_get_int_member (counts, "in_progress"), ==, in_progress);
  g_assert_cmpint (json_object_get_int_member (counts, "completed"), ==, completed);
  g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, failed);
}

static void
assert_queue_counts (JsonObject *queue,
                     gint64      total,
                     gint64      pending,
                     gint64      in_progress,
                     gint64      completed,
                     gint64      failed)
{
  g_assert_cmpint (json_object_get_int_member (queue, "total_jobs"), ==, total);
  g_assert_cmpint (json_object_get_int_member (queue, "pending_jobs"), ==, pending);
  g_assert_cmpint (json_object_get_int_member (queue, "in_progress_jobs"), ==, in_progress);
  g_assert_cmpint (json_object_get_int_member (queue, "completed_jobs"), ==, completed);
  g_assert_cmpint (json_object_get_int_member (queue, "failed_jobs"), ==, failed);
}

/* One job completed, one failed, one running, two waiting. */
static void
make_mixed_queue (Fixture *f,
                  char   **completed,
                  char   **failed)
{
  g_object_set (f->server, "workers", 1, NULL);
  *completed = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 1.0, 0);
  wait_for (f, *completed, 0);
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  *failed = add_job (f, VIGIL_JOB_KIND_SONG, 2, 1, 1.0, 0);
  wait_for (f, *failed, 0);
  g_object_set (f->server, "failure-rate", 0.0, NULL);
  g_free (add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 5, 1000.0, 0));
  g_free (add_job (f, VIGIL_JOB_KIND_SONG, 4, 1, 1000.0, 0));
  g_free (add_job (f, VIGIL_JOB_KIND_BACKGROUND, 5, 3, 1000.0, 0));
}

/* Both modes: the health answer carries the true counts, as a Flask+Redis
 * service reads them from Redis; the normal queue status agrees. */
static void
test_queue_health_counts (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *completed = NULL, *failed = NULL;
  g_autoptr(Reply) status = NULL, health = NULL, down = NULL;
  JsonObject *queue;

  make_mixed_queue (f, &completed, &failed);
  status = get (f, "/api/queue/status");
  queue = member_object (reply_object (status), "queue");
  assert_queue_counts (queue, 5, 2, 1, 1, 1);
  assert_counts (health_counts (f, 200, &health), 2, 1, 1, 1);
  g_assert_cmpint (json_object_get_int_member (member_object (member_object (reply_object (health),
                                                                             "queue_health"),
                                                              "queue_status"),
                                               "total_jobs"), ==, 5);

  /* Unhealthy (no worker): 503, and the counts are still there. */
  g_object_set (f->server, "workers", 0, NULL);
  assert_counts (health_counts (f, 503, &down), 2, 1, 1, 1);
}

/* The live service's quirks: /api/queue/status counts everything as 0,
 * and a job record says progress 0 once its progress record is gone. */
static void
test_production_quirks (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *completed = NULL, *failed = NULL;
  g_autoptr(Reply) status = NULL, health = NULL, r1 = NULL, r2 = NULL, worker = NULL;
  JsonObject *queue, *breakdown, *record, *current;

  g_object_set (f->server, "production-quirks", TRUE, NULL);
  make_mixed_queue (f, &completed, &failed);

  status = get (f, "/api/queue/status");
  queue = member_object (reply_object (status), "queue");
  assert_queue_counts (queue, 0, 0, 0, 0, 0);
  breakdown = member_object (queue, "priority_breakdown");
  g_assert_cmpint (json_object_get_int_member (breakdown, "HIGH"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (breakdown, "MEDIUM"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (breakdown, "LOW"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (queue, "estimated_completion_minutes"), ==, 0);
  assert_counts (health_counts (f, 200, &health), 2, 1, 1, 1);

  record = job_record (f, completed, &r1);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "COMPLETED");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (record, "progress")));
  g_assert_cmpfloat (json_object_get_double_member (record, "progress"), ==, 0.0);
  record = job_record (f, failed, &r2);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "FAILED");
  g_assert_cmpfloat (json_object_get_double_member (record, "progress"), ==, 0.0);

  /* The worker's current job has no status. */
  worker = get (f, "/api/worker/health");
  current = member_object (member_object (reply_object (worker), "worker"), "current_job");
  g_assert_nonnull (json_object_get_string_member (current, "job_id"));
  g_assert_cmpstr (json_object_get_string_member (current, "job_type"), ==, "PLAYLIST_ANALYSIS");
  g_assert_false (json_object_has_member (current, "status"));
}

static void
test_dashboard_shapes (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_BACKGROUND, 2, 0, 0, 0);
  g_autoptr(Reply) status = get (f, "/api/queue/status");
  g_autoptr(Reply) worker = get (f, "/api/worker/health");
  JsonObject *queue = member_object (reply_object (status), "queue");
  JsonObject *current = member_object (member_object (reply_object (worker), "worker"), "current_job");

  g_assert_cmpstr (json_object_get_string_member (reply_object (status), "status"), ==, "success");
  g_assert_cmpint (json_object_get_int_member (queue, "total_jobs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "completed_jobs"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (queue, "failed_jobs"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (queue, "estimated_completion_minutes"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (member_object (queue, "active_job"), "job_type"),
                   ==, "BACKGROUND_ANALYSIS");
  g_assert_cmpstr (json_object_get_string_member (current, "job_id"), ==, job);
  g_assert_cmpstr (json_object_get_string_member (current, "priority"), ==, "LOW");
  g_assert_cmpstr (json_object_get_string_member (member_object (current, "metadata"), "username"),
                   ==, "bruno");
  check_health (f, 200, "running");

  g_object_set (f->server, "workers", 0, NULL);
  check_health (f, 503, "not_running");
}

static void
test_analyzed_playlist (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Reply) nothing = post (f, "/api/playlists/20/analyze-unanalyzed", NULL);
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) again = NULL;
  g_autofree char *job = NULL;
  const char *expected = "{\"success\": true, \"queued_count\": 0, "
                         "\"message\": \"All songs already analyzed\"}";

  assert_reply (nothing, 200, expected);
  g_assert_cmpuint (f->started->len, ==, 0);

  /* a finished job marks its songs analysed */
  g_object_set (f->server, "song-seconds", 0.2, NULL);
  first = post (f, "/api/playlists/5/analyze-unanalyzed", NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (first), "queued_count"), ==, 6);
  job = started_job_id (first);
  wait_for (f, job, 0);

  again = post (f, "/api/playlists/5/analyze-unanalyzed", NULL);
  assert_reply (again, 200, expected);
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  const struct { const char *method, *path, *token; guint status; } cases[] = {
    { "GET", "/api/progress/x", NULL, 401 },
    { "GET", "/api/progress/x", "wrong", 401 },
    { "GET", "/api/progress/x", "user-secret", 404 },
    { "GET", "/api/progress/x", "admin-secret", 404 },
    { "POST", "/api/songs/1/analyze", NULL, 401 },
    { "POST", "/api/songs/1/analyze", "user-secret", 200 },
    { "GET", "/api/queue/status", NULL, 401 },
    { "GET", "/api/queue/status", "user-secret", 403 },
    { "GET", "/api/queue/status", "admin-secret", 200 },
    { "POST", "/api/admin/reanalyze-user/1", "user-secret", 403 },
    { "POST", "/api/progress/cleanup", "admin-secret", 200 },
    { "GET", "/api/worker/health", NULL, 401 },
    { "GET", "/_demo/stats", NULL, 200 },
    { "GET", "/login", NULL, 200 },
  };

  g_object_set (f->server, "require-token", "user-secret", "admin-token", "admin-secret", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) r = fetch_with_token (f, cases[i].method, cases[i].path, cases[i].token);

      g_assert_cmpuint (r->status, ==, cases[i].status);
      if (r->status == 401)
        assert_reply (r, 401, "{\"error\": \"Authentication required\"}");
      if (r->status == 403)
        assert_reply (r, 403, "{\"error\": \"Admin privileges required\"}");
    }
}

static void
test_token_variants (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Reply) cookie = NULL;
  g_autoptr(Reply) admin = NULL;
  g_autoptr(Reply) open_admin = NULL;

  /* a signed-in browser's cookie */
  g_object_set (f->server, "require-token", "user-secret", NULL);
  cookie = fetch_full (f, "GET", "/api/progress/x", NULL, "Cookie: session=user-secret", 0);
  g_assert_cmpuint (cookie->status, ==, 404);

  /* without an admin token, the user token is the admin's */
  admin = fetch_with_token (f, "GET", "/api/queue/status", "user-secret");
  g_assert_cmpuint (admin->status, ==, 200);

  /* an admin token alone guards the admin paths only */
  g_object_set (f->server, "require-token", NULL, "admin-token", "admin-secret", NULL);
  open_admin = get (f, "/api/queue/status");
  g_assert_cmpuint (open_admin->status, ==, 401);
  g_clear_pointer (&open_admin, reply_free);
  open_admin = get (f, "/api/progress/x");
  g_assert_cmpuint (open_admin->status, ==, 404);
}

static void
test_signin_redirect (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) redirect = NULL;
  g_autoptr(Reply) followed = NULL;
  g_autoptr(Reply) admin = NULL;
  g_autoptr(Reply) signed_in = NULL;

  g_object_set (f->server, "require-token", "t0ken", "signin-redirect", TRUE, NULL);

  redirect = fetch_full (f, "GET", "/api/jobs/x/status", NULL, NULL, SOUP_MESSAGE_NO_REDIRECT);
  g_assert_cmpuint (redirect->status, ==, 302);
  g_assert_cmpstr (redirect->location, ==, "/login");

  followed = get (f, "/api/progress/x");
  g_assert_cmpuint (followed->status, ==, 200);
  g_assert_cmpstr (followed->content_type, ==, "text/html");
  g_assert_null (followed->root);
  g_assert_nonnull (strstr (followed->body, "Sign in"));

  admin = get (f, "/api/queue/status");
  assert_reply (admin, 401, "{\"error\": \"Authentication required\"}");

  signed_in = fetch_with_token (f, "GET", "/api/progress/x", "t0ken");
  g_assert_cmpuint (signed_in->status, ==, 404);
}

/* POST the sign-in form; the answer's status, and its Set-Cookie in *cookie */
static guint
post_signin (Fixture     *f,
             const char  *path,
             const char  *user,
             const char  *password,
             char       **cookie)
{
  g_autofree char *uri = g_strconcat (f->url, path, NULL);
  g_autofree char *form = soup_form_encode ("username", user, "password", password, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new_from_encoded_form ("POST", uri,
                                                                   g_steal_pointer (&form));
  g_autoptr(GBytes) bytes = NULL;
  FetchState state = { f->loop, NULL, NULL };

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_fetched, &state);
  g_main_loop_run (f->loop);
  g_assert_no_error (state.error);
  bytes = state.bytes;

  *cookie = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Set-Cookie"));
  return soup_message_get_status (msg);
}

/* The sign-in page sets the session cookie that API calls then carry, as
 * the real service does after its web sign-in. */
static void
test_signin_form (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) with_cookie = NULL;
  g_autoptr(Reply) admin_cookie = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *admin = NULL;

  g_object_set (f->server, "require-token", "user-t0ken", "admin-token", "admin-t0ken",
                "signin-redirect", TRUE, "signin-password", "pw", NULL);

  page = get (f, "/auth/login");
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "<form method=\"post\""));

  g_assert_cmpuint (post_signin (f, "/auth/login", "ana", "nope", &wrong), ==, 401);
  g_assert_null (wrong);

  g_assert_cmpuint (post_signin (f, "/auth/login", "ana", "pw", &cookie), ==, 302);
  g_assert_true (g_str_has_prefix (cookie, "session=user-t0ken;"));
  g_assert_cmpuint (post_signin (f, "/login", "admin", "pw", &admin), ==, 302);
  g_assert_true (g_str_has_prefix (admin, "session=admin-t0ken;"));

  with_cookie = fetch_full (f, "GET", "/api/progress", NULL, "Cookie: session=user-t0ken",
                            SOUP_MESSAGE_NO_REDIRECT);
  g_assert_cmpuint (with_cookie->status, ==, 200);
  admin_cookie = fetch_full (f, "GET", "/api/queue/status", NULL, "Cookie: session=admin-t0ken",
                             SOUP_MESSAGE_NO_REDIRECT);
  g_assert_cmpuint (admin_cookie->status, ==, 200);
}

/* Member names of the answer's active_jobs */
static GHashTable *
batch_ids (Fixture *f)
{
  g_autoptr(Reply) reply = get (f, "/api/progress");
  JsonObject *active = member_object (reply_object (reply), "active_jobs");
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) names = json_object_get_members (active);

  g_assert_cmpuint (reply->status, ==, 200);
  for (GList *l = names; l != NULL; l = l->next)
    g_hash_table_add (ids, g_strdup (l->data));
  return ids;
}

/* With four web processes each answer lists one process's jobs: none lists
 * them all, and every running job turns up in some answer. */
static void
test_web_processes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint largest = 0;

  freeze_clock (f);
  g_object_set (f->server, "workers", 16, "web-processes", 4, "seed", (guint64) 3, NULL);
  for (guint i = 0; i < 16; i++)
    g_ptr_array_add (ids, add_job (f, VIGIL_JOB_KIND_PLAYLIST, 1 + i % 5, 5, 1000, 0.2));
  wait_for (f, NULL, 16);

  for (guint round = 0; round < 200 && g_hash_table_size (seen) < ids->len; round++)
    {
      g_autoptr(GHashTable) answer = batch_ids (f);
      GHashTableIter iter;
      gpointer id;

      largest = MAX (largest, g_hash_table_size (answer));
      g_hash_table_iter_init (&iter, answer);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_hash_table_add (seen, g_strdup (id));
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, ids->len);
  g_assert_cmpuint (largest, <, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (ids, i)));
}

static void
test_error_rate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Reply) progress = NULL;
  g_autoptr(Reply) queue = NULL;
  g_autoptr(Reply) start = NULL;
  g_autoptr(Reply) stats = NULL;
  g_autoptr(Reply) login = NULL;
  g_autoptr(Reply) healthy = NULL;

  g_object_set (f->server, "error-rate", 1.0, NULL);

  progress = get (f, "/api/progress/x");
  assert_reply (progress, 500, "{\"success\": false, \"error\": \"Internal server error\"}");
  queue = get (f, "/api/queue/status");
  assert_reply (queue, 500, "{\"status\": \"error\", \"error\": \"Internal server error\", "
                            "\"message\": \"Failed to read the queue\"}");
  start = post (f, "/api/songs/1/analyze", NULL);
  g_assert_cmpuint (start->status, ==, 500);
  g_assert_false (json_object_get_boolean_member (reply_object (start), "success"));
  g_assert_cmpuint (f->started->len, ==, 0);

  stats = get (f, "/_demo/stats");
  g_assert_cmpuint (stats->status, ==, 200);
  login = get (f, "/login");
  g_assert_cmpuint (login->status, ==, 200);

  g_object_set (f->server, "error-rate", 0.0, NULL);
  healthy = get (f, "/api/progress/x");
  g_assert_cmpuint (healthy->status, ==, 404);
}

static void
test_old_shape (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  JsonObject *records[2];

  g_object_set (f->server, "old-shape", TRUE, NULL);
  freeze_clock (f);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 1, 0, 100.0, 0.55);
  records[0] = progress_record (f, job, &r1);
  records[1] = member_object (job_record (f, job, &r2), "progress");

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      JsonObject *p = records[i];

      g_assert_cmpfloat (json_object_get_double_member (p, "progress"), ==, 0.5);
      g_assert_nonnull (strstr (json_object_get_string_member (p, "message"), "Analyzing '"));
      g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "in_progress");
      g_assert_false (json_object_has_member (p, "current_progress"));
      g_assert_false (json_object_has_member (p, "current_message"));
    }
}

static void
test_production_steps (Fixture       *f,
                       gconstpointer  data)
{
  const struct { double phase; const char *step; double step_progress; } cases[] = {
    { 0.05, "starting", 0.0 },
    { 0.20, "lyrics_fetching", 0.3 },
    { 0.50, "analysis", 0.7 },
  };
  g_autofree char *playlist = NULL;
  g_autoptr(Reply) r = NULL;

  g_object_set (f->server, "workers", 4, "production-steps", TRUE, NULL);
  /* a step lasts a few real milliseconds at the test's speed */
  freeze_clock (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 10 + i, 1, 1000.0, cases[i].phase);
      g_autoptr(Reply) reply = NULL;
      JsonObject *p = progress_record (f, job, &reply);

      g_assert_cmpstr (json_object_get_string_member (p, "current_step"), ==, cases[i].step);
      g_assert_cmpfloat (json_object_get_double_member (p, "step_progress"), ==, cases[i].step_progress);
      g_assert_cmpfloat (json_object_get_double_member (p, "current_progress"), ==, 0.0);
      g_assert_false (json_object_has_member (p, "metadata"));
    }

  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 1, 0, 1000.0, 0.5);
  g_assert_false (json_object_has_member (progress_record (f, playlist, &r), "metadata"));
}

static void
check_song_metadata (JsonObject *p)
{
  JsonObject *metadata = member_object (p, "metadata");
  JsonObject *song = member_object (metadata, "current_song");
  g_autofree char *message = g_strdup_printf ("Analyzing '%s' by %s",
                                              json_object_get_string_member (song, "title"),
                                              json_object_get_string_member (song, "artist"));

  g_assert_cmpint (json_object_get_int_member (metadata, "total_songs"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (metadata, "processed_songs"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (metadata, "song_progress"), >=, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (metadata, "song_progress"), <, 0.6);
  g_assert_cmpint (json_object_get_int_member (song, "id"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (p, "current_message"), ==, message);
}

static void
test_progress_fields (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autofree char *song = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  g_autoptr(Reply) r3 = NULL;
  JsonObject *p;
  const char *start;

  /* song_progress and the ETA move by the virtual second */
  freeze_clock (f);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 10, 100.0, 0.55);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 3, 1, 100.0, 0.5);
  p = progress_record (f, job, &r1);
  start = json_object_get_string_member (p, "start_time");

  g_assert_cmpint (json_object_get_int_member (p, "completed_items"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (p, "current_progress"), ==, 0.5);
  g_assert_cmpstr (json_object_get_string_member (p, "current_step"), ==, "analyzing");
  g_assert_cmpfloat (json_object_get_double_member (p, "estimated_duration_per_item"), ==, 100.0);
  /* before a song of this run finishes: 5 songs at the estimate, half of one done */
  g_assert_cmpfloat (json_object_get_double_member (p, "eta_seconds"), <=, 450.0);
  g_assert_cmpfloat (json_object_get_double_member (p, "eta_seconds"), >, 440.0);
  g_assert_true (g_str_has_suffix (start, "+00:00"));
  g_assert_cmpuint (strlen (start), ==, strlen ("2026-11-28T20:01:02.123456+00:00"));
  check_song_metadata (p);

  g_object_set (f->server, "workers", 2, NULL);
  g_assert_false (json_object_has_member (progress_record (f, song, &r2), "metadata"));

  g_object_set (f->server, "no-metadata", TRUE, NULL);
  g_assert_false (json_object_has_member (progress_record (f, job, &r3), "metadata"));
}

static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autoptr(Reply) r = NULL;
  g_autoptr(Reply) worker = NULL;
  JsonObject *record, *w;

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 2, 4, 5.0, 0);
  wait_for (f, job, 0);

  g_assert_cmpint (g_array_index (f->statuses, VigilJobStatus, 0), ==, VIGIL_JOB_STATUS_FAILED);
  g_assert_cmpfloat (vigil_demo_server_get_finish_time (f->server, job), >, 0);
  record = job_record (f, job, &r);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "FAILED");
  g_assert_cmpstr (json_object_get_string_member (record, "error_message"), !=, "");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (record, "progress")));
  assert_progress_404 (f, job);

  worker = get (f, "/api/worker/health");
  w = member_object (reply_object (worker), "worker");
  g_assert_cmpint (json_object_get_int_member (w, "jobs_processed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (w, "jobs_failed"), ==, 1);
}

static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 1000.0, 0);
  guint port = vigil_demo_server_get_port (f->server);
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;

  g_assert_cmpuint (port, >, 0);
  progress_record (f, job, &r1);

  vigil_demo_server_disconnect (f->server);
  g_assert_cmpuint (vigil_demo_server_get_port (f->server), ==, 0);
  g_assert_null (vigil_demo_server_get_url (f->server));

  fixture_listen (f, port);
  g_assert_cmpuint (vigil_demo_server_get_port (f->server), ==, port);
  g_assert_cmpstr (json_object_get_string_member (job_record (f, job, &r2), "status"), ==, "IN_PROGRESS");
}

static void
test_cleanup (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 1000.0, 0);
  g_autoptr(Reply) keep = post (f, "/api/progress/cleanup", NULL);
  g_autoptr(Reply) drop = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) r1 = NULL;
  g_autoptr(Reply) r2 = NULL;
  JsonObject *record;

  assert_reply (keep, 200, "{\"success\": true, \"cleaned_count\": 0, "
                           "\"message\": \"Cleaned up jobs older than 24 hours\"}");
  progress_record (f, job, &r1);

  drop = post (f, "/api/progress/cleanup", "{\"max_age_hours\": 0}");
  assert_reply (drop, 200, "{\"success\": true, \"cleaned_count\": 1, "
                           "\"message\": \"Cleaned up jobs older than 0 hours\"}");
  assert_progress_404 (f, job);
  record = job_record (f, job, &r2);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "IN_PROGRESS");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (record, "progress")));

  bad = post (f, "/api/progress/cleanup", "{\"max_age_hours\": \"soon\"}");
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_batch_route (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;

  g_object_set (f->server, "batch-route", FALSE, NULL);
  r = get (f, "/api/progress");
  assert_reply (r, 404, "{\"error\": \"Not found\"}");
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress"), ==, 1);
}

static void
on_fetch_failed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_null (bytes);
  g_assert_nonnull (error);
  *done = TRUE;
}

/* A held-back answer dies with its connection, quietly */
static void
check_disconnect_while_delayed (Fixture *f)
{
  g_autofree char *uri = g_strconcat (f->url, "/api/progress", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  guint64 before = vigil_demo_server_get_total_requests (f->server);
  guint port = vigil_demo_server_get_port (f->server);
  gboolean done = FALSE;

  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_fetch_failed, &done);
  while (vigil_demo_server_get_total_requests (f->server) == before)
    g_main_context_iteration (NULL, TRUE);

  vigil_demo_server_disconnect (f->server);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_object_set (f->server, "latency-ms", 0, NULL);
  fixture_listen (f, port);
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autoptr(Reply) r = NULL;
  gint64 before;

  g_object_set (f->server, "latency-ms", 150, NULL);
  job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 10.0, 0);

  before = g_get_monotonic_time ();
  r = get (f, "/_demo/stats");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 150 * 1000);
  /* the main loop ran on meanwhile: the 50 ms job finished */
  g_assert_true (has_id (f->finished, job));

  check_disconnect_while_delayed (f);
}

static void
test_speed_change (Fixture       *f,
                   gconstpointer  data)
{
  double before = vigil_demo_server_get_virtual_time (f->server);
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1, 1000.0, 0);
  double after = vigil_demo_server_get_virtual_time (f->server);
  gint64 real_start = g_get_monotonic_time ();
  double speed, finish;

  g_object_set (f->server, "speed", 100000.0, NULL);
  g_object_get (f->server, "speed", &speed, NULL);
  g_assert_cmpfloat (speed, ==, 100000.0);

  /* 10 ms at the new speed; the old one would take 5 s */
  wait_for (f, job, 0);
  g_assert_cmpint (g_get_monotonic_time () - real_start, <, 2500 * 1000);
  finish = vigil_demo_server_get_finish_time (f->server, job);
  g_assert_cmpfloat (finish, >=, before + 1000.0);
  g_assert_cmpfloat (finish, <=, after + 1000.0);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  guint notified = 0;
  g_autofree char *token = NULL;
  gboolean batch;

  g_signal_connect (f->server, "notify", G_CALLBACK (on_notify), &notified);
  g_object_set (f->server, "speed", SPEED, "workers", 1, "batch-route", TRUE, NULL);
  g_assert_cmpuint (notified, ==, 0);

  g_object_set (f->server, "workers", 3, "require-token", "abc", "batch-route", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 3);

  g_object_set (f->server, "require-token", "", NULL);
  g_object_get (f->server, "require-token", &token, "batch-route", &batch, NULL);
  g_assert_null (token);
  g_assert_false (batch);
  g_signal_handlers_disconnect_by_func (f->server, on_notify, &notified);
}

static void
test_listen_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(VigilDemoServer) other = vigil_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_false (vigil_demo_server_listen (other, "0.0.0.0", 0, &error));
  g_assert_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_NOT_LOOPBACK);
  g_clear_error (&error);

  g_assert_false (vigil_demo_server_listen (other, "example.com", 0, &error));
  g_assert_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_INVALID_HOST);
  g_clear_error (&error);

  g_assert_true (vigil_demo_server_listen (other, "localhost", 0, &error));
  g_assert_no_error (error);
  url = vigil_demo_server_get_url (other);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  g_assert_false (vigil_demo_server_listen (other, NULL, 0, &error));
  g_assert_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_ALREADY_LISTENING);

  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_seeded (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VigilDemoServer) a = g_object_new (VIGIL_TYPE_DEMO_SERVER, "seed", (guint64) 7, NULL);
  g_autoptr(VigilDemoServer) b = g_object_new (VIGIL_TYPE_DEMO_SERVER, "seed", (guint64) 7, NULL);
  g_autoptr(VigilDemoServer) c = g_object_new (VIGIL_TYPE_DEMO_SERVER, "seed", (guint64) 8, NULL);
  g_autofree char *id_a = vigil_demo_server_add_job (a, VIGIL_JOB_KIND_SONG, 1, 0, 0, 0);
  g_autofree char *id_b = vigil_demo_server_add_job (b, VIGIL_JOB_KIND_SONG, 1, 0, 0, 0);
  g_autofree char *id_c = vigil_demo_server_add_job (c, VIGIL_JOB_KIND_SONG, 1, 0, 0, 0);

  g_assert_cmpstr (id_a, ==, id_b);
  g_assert_cmpstr (id_a, !=, id_c);
}

#define ADD_TEST(name, func) \
  g_test_add ("/vigil/demo-server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("lifecycle", test_lifecycle);
  ADD_TEST ("priority", test_priority);
  ADD_TEST ("counters", test_counters);
  ADD_TEST ("start-shapes", test_start_shapes);
  ADD_TEST ("watch-shapes", test_watch_shapes);
  ADD_TEST ("dashboard-shapes", test_dashboard_shapes);
  ADD_TEST ("analyzed-playlist", test_analyzed_playlist);
  ADD_TEST ("token", test_token);
  ADD_TEST ("token-variants", test_token_variants);
  ADD_TEST ("signin-redirect", test_signin_redirect);
  ADD_TEST ("signin-form", test_signin_form);
  ADD_TEST ("web-processes", test_web_processes);
  ADD_TEST ("error-rate", test_error_rate);
  ADD_TEST ("old-shape", test_old_shape);
  ADD_TEST ("production-steps", test_production_steps);
  ADD_TEST ("queue-health-counts", test_queue_health_counts);
  ADD_TEST ("production-quirks", test_production_quirks);
  ADD_TEST ("progress-fields", test_progress_fields);
  ADD_TEST ("failure", test_failure);
  ADD_TEST ("reconnect", test_reconnect);
  ADD_TEST ("cleanup", test_cleanup);
  ADD_TEST ("batch-route", test_batch_route);
  ADD_TEST ("latency", test_latency);
  ADD_TEST ("speed-change", test_speed_change);
  ADD_TEST ("properties", test_properties);
  ADD_TEST ("listen-errors", test_listen_errors);
  ADD_TEST ("seeded", test_seeded);

  return g_test_run ();
}
