/* test-api-client.c — VigilApiClient over real HTTP on 127.0.0.1: the
 * error classes against a small SoupServer fixture, every endpoint against
 * the demo server. Async calls on a GMainLoop only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "vigil-api-client.h"
#include "vigil-api-client-private.h"
#include "vigil-demo-server.h"
#include "vigil-test-hostile.h"
#include "vigil-test-timeout.h"

#define JSON "application/json"

/* ------------------------------------------------------------------ */
/* What the fixture server answers                                     */
/* ------------------------------------------------------------------ */

typedef enum
{
  BODY_TEXT,      /* body as given */
  BODY_BIG,       /* 5 MiB of JSON-ish text with a Content-Length */
  BODY_ENDLESS,   /* chunked, never completed: 64 KiB chunks for ever */
  BODY_TRICKLE,   /* chunked: one byte every 100 ms, never completed */
  BODY_ENDLESS_JOBS, /* chunked: body (jobs), then 64 KiB of spaces for ever */
} BodyKind;

typedef struct
{
  guint        status;
  const char  *content_type;
  const char  *body;
  BodyKind     kind;
  const char  *retry_after;
  const char  *location;
  guint        delay_ms;
  const char  *reason;        /* the reason phrase; NULL: the standard one */
} Answer;

typedef struct
{
  SoupServer      *server;      /* the fixture server, or NULL */
  VigilDemoServer *demo;        /* the demo server, or NULL */
  VigilApiClient  *client;
  GMainLoop       *loop;
  GAsyncResult    *result;
  guint            guard_id;

  Answer           answer;
  GPtrArray       *paths;       /* raw (escaped) paths requested */
  GPtrArray       *pending;     /* timeout ids to remove at teardown */
  char            *authorization;
  char            *cookie;
  char            *user_agent;
  char            *accept;
  char            *request_body;
  char            *method;
  gsize            bytes_sent;
  const char      *raw_answer;  /* what the bare socket service sends */
  GPtrArray       *streamed;    /* records heard by CALL_ACTIVE_STREAM */
  GCancellable    *cancel_on_record;  /* cancelled by the first record heard */
} Fixture;

/* ------------------------------------------------------------------ */
/* The fixture server                                                  */
/* ------------------------------------------------------------------ */

static void
record_request (Fixture           *f,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  g_ptr_array_add (f->paths, g_strdup (g_uri_get_path (soup_server_message_get_uri (msg))));
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (f->cookie);
  f->cookie = g_strdup (soup_message_headers_get_one (headers, "Cookie"));
  g_free (f->user_agent);
  f->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  g_free (f->accept);
  f->accept = g_strdup (soup_message_headers_get_one (headers, "Accept"));
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->request_body);
  f->request_body = g_strndup (body->data, body->length);
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *chunk = g_strnfill (64 * 1024, ' ');

  /* A safety stop far past the client's limit. */
  if (f->bytes_sent > 64 * 1024 * 1024)
    {
      soup_message_body_complete (body);
      return;
    }

  f->bytes_sent += 64 * 1024;
  soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, 64 * 1024);
}

typedef struct
{
  Fixture           *f;
  SoupServerMessage *msg;
  guint              id;
} Trickle;

static gboolean
on_trickle (gpointer user_data)
{
  Trickle *t = user_data;

  soup_message_body_append (soup_server_message_get_response_body (t->msg),
                            SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (t->msg);
  return G_SOURCE_CONTINUE;
}

static void
on_trickle_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Trickle *t = user_data;

  /* Unless the teardown removed it already */
  if (g_ptr_array_remove (t->f->pending, GUINT_TO_POINTER (t->id)))
    g_source_remove (t->id);
}

static void
start_chunked (Fixture           *f,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, JSON, NULL);
  soup_message_body_set_accumulate (body, FALSE);

  if (f->answer.kind == BODY_ENDLESS_JOBS)
    soup_message_body_append (body, SOUP_MEMORY_COPY, f->answer.body, strlen (f->answer.body));
  if (f->answer.kind == BODY_ENDLESS || f->answer.kind == BODY_ENDLESS_JOBS)
    {
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), f);
      on_wrote_chunk (msg, f);
    }
  else
    {
      Trickle *t = g_new0 (Trickle, 1);

      t->f = f;
      t->msg = msg;
      t->id = g_timeout_add (100, on_trickle, t);
      g_ptr_array_add (f->pending, GUINT_TO_POINTER (t->id));
      g_signal_connect_data (msg, "finished", G_CALLBACK (on_trickle_finished), t,
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "{", 1);
    }
}

static void
fill_answer (Fixture           *f,
             SoupServerMessage *msg)
{
  const Answer *a = &f->answer;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, a->status, a->reason);
  if (a->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", a->retry_after);
  if (a->location != NULL)
    soup_message_headers_replace (headers, "Location", a->location);

  if (a->kind == BODY_ENDLESS || a->kind == BODY_TRICKLE || a->kind == BODY_ENDLESS_JOBS)
    start_chunked (f, msg);
  else if (a->kind == BODY_BIG)
    {
      static const char head[] = "{\"success\": true, \"active_jobs\": {}";
      gsize size = 5 * 1024 * 1024;
      char *big = g_strnfill (size, ' ');

      /* Valid JSON: too large for most routes, not for GET /api/progress. */
      memcpy (big, head, strlen (head));
      big[size - 1] = '}';
      soup_server_message_set_response (msg, JSON, SOUP_MEMORY_TAKE, big, size);
    }
  else if (a->body != NULL)
    soup_server_message_set_response (msg, a->content_type, SOUP_MEMORY_COPY,
                                      a->body, strlen (a->body));
}

typedef struct
{
  Fixture           *f;
  SoupServerMessage *msg;
} Delayed;

static gboolean
on_delay_over (gpointer user_data)
{
  Delayed *d = user_data;

  g_ptr_array_remove (d->f->pending, GUINT_TO_POINTER (g_source_get_id (g_main_current_source ())));
  fill_answer (d->f, d->msg);
  soup_server_message_unpause (d->msg);
  return G_SOURCE_REMOVE;
}

static void
delayed_free (gpointer data)
{
  Delayed *d = data;

  g_object_unref (d->msg);
  g_free (d);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *f = user_data;
  Delayed *d;
  guint id;

  record_request (f, msg);
  if (f->answer.delay_ms == 0)
    {
      fill_answer (f, msg);
      return;
    }

  /* Never block the loop: pause and answer later. */
  d = g_new0 (Delayed, 1);
  d->f = f;
  d->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, f->answer.delay_ms, on_delay_over, d, delayed_free);
  g_ptr_array_add (f->pending, GUINT_TO_POINTER (id));
}

static char *
server_url (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  char *url;

  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

static void
new_client (Fixture    *f,
            const char *url)
{
  g_autoptr(GError) error = NULL;

  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  /* longer under a sanitizer (VIGIL_TEST_TIMEOUT_FACTOR): a 20 000-job
   * body takes seconds to make and read there */
  vigil_api_client_set_timeout (f->client, vigil_test_limit_ms (5000) / 1000);
}

static void
setup_common (Fixture *f)
{
  f->loop = g_main_loop_new (NULL, FALSE);
  f->paths = g_ptr_array_new_with_free_func (g_free);
  f->pending = g_ptr_array_new ();
}

static void
setup_mock (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  setup_common (f);
  f->server = soup_server_new ("server-header", "vigil-test", NULL);
  soup_server_add_handler (f->server, NULL, handle, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = server_url (f->server);
  new_client (f, url);
}

static void
setup_demo (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  setup_common (f);
  f->demo = vigil_demo_server_new ();
  /* Slow jobs: whatever a test starts is still running when it looks. */
  g_object_set (f->demo, "seed", (guint64) 7, "song-seconds", 600.0, NULL);
  vigil_demo_server_listen (f->demo, NULL, 0, &error);
  g_assert_no_error (error);
  url = vigil_demo_server_get_url (f->demo);
  new_client (f, url);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  for (guint i = 0; i < f->pending->len; i++)
    g_source_remove (GPOINTER_TO_UINT (g_ptr_array_index (f->pending, i)));
  g_ptr_array_set_size (f->pending, 0);
  g_clear_object (&f->result);
  g_clear_handle_id (&f->guard_id, g_source_remove);
  g_assert_finalize_object (f->client);
  if (f->server != NULL)
    {
      soup_server_disconnect (f->server);
      g_assert_finalize_object (f->server);
    }
  if (f->demo != NULL)
    {
      vigil_demo_server_disconnect (f->demo);
      g_assert_finalize_object (f->demo);
    }
  /* Let closed connections finish closing. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (f->pending);
  g_ptr_array_unref (f->paths);
  g_clear_pointer (&f->streamed, g_ptr_array_unref);
  g_main_loop_unref (f->loop);
  g_free (f->authorization);
  g_free (f->cookie);
  g_free (f->user_agent);
  g_free (f->accept);
  g_free (f->request_body);
  g_free (f->method);
}

/* ------------------------------------------------------------------ */
/* Calls                                                               */
/* ------------------------------------------------------------------ */

typedef enum
{
  CALL_START_SONG,
  CALL_START_PLAYLIST,
  CALL_START_PLAYLIST_ALL,
  CALL_START_USER,
  CALL_PROGRESS,
  CALL_JOB_STATUS,
  CALL_ACTIVE,
  CALL_QUEUE_STATUS,
  CALL_WORKER_HEALTH,
  CALL_QUEUE_HEALTH,
  CALL_CLEANUP,
  CALL_ACTIVE_STREAM,   /* GET /api/progress read as it arrives */
  N_CALLS
} Call;

typedef struct
{
  gpointer        value;
  GDestroyNotify  free_value;
  GError         *error;
  gint64          retry_after_ms;
  gint64          elapsed_ms;
  guint64         bytes_received;
} Outcome;

static void
outcome_free (Outcome *o)
{
  if (o->value != NULL)
    o->free_value (o->value);
  g_clear_error (&o->error);
  g_free (o);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Outcome, outcome_free)

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static gboolean
on_guard (gpointer user_data)
{
  g_error ("A request did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
on_streamed (VigilProgress *progress,
             gpointer       user_data)
{
  Fixture *f = user_data;

  g_assert_nonnull (f->streamed);
  g_ptr_array_add (f->streamed, vigil_progress_copy (progress));
  if (f->cancel_on_record != NULL)
    g_cancellable_cancel (f->cancel_on_record);
}

static void
start_call (Fixture      *f,
            Call          call,
            gint64        id,
            const char   *job_id,
            GCancellable *cancellable)
{
  VigilApiClient *c = f->client;

  switch (call)
    {
    case CALL_START_SONG:
      vigil_api_client_start_song_async (c, id, cancellable, on_done, f);
      break;
    case CALL_START_PLAYLIST:
    case CALL_START_PLAYLIST_ALL:
      vigil_api_client_start_playlist_async (c, id, call == CALL_START_PLAYLIST_ALL,
                                             cancellable, on_done, f);
      break;
    case CALL_START_USER:
      vigil_api_client_start_user_async (c, id, cancellable, on_done, f);
      break;
    case CALL_PROGRESS:
      vigil_api_client_get_progress_async (c, job_id, cancellable, on_done, f);
      break;
    case CALL_JOB_STATUS:
      vigil_api_client_get_job_status_async (c, job_id, cancellable, on_done, f);
      break;
    case CALL_ACTIVE:
      vigil_api_client_get_active_progress_async (c, cancellable, on_done, f);
      break;
    case CALL_QUEUE_STATUS:
      vigil_api_client_get_queue_status_async (c, cancellable, on_done, f);
      break;
    case CALL_WORKER_HEALTH:
      vigil_api_client_get_worker_health_async (c, cancellable, on_done, f);
      break;
    case CALL_QUEUE_HEALTH:
      vigil_api_client_get_queue_health_async (c, cancellable, on_done, f);
      break;
    case CALL_CLEANUP:
      vigil_api_client_cleanup_async (c, (int) id, cancellable, on_done, f);
      break;
    case CALL_ACTIVE_STREAM:
      g_clear_pointer (&f->streamed, g_ptr_array_unref);
      f->streamed = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_progress_free);
      vigil_api_client_read_active_progress_async (c, on_streamed, f, cancellable, on_done, f);
      break;
    case N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

static gpointer
finish_call (Fixture         *f,
             Call             call,
             GDestroyNotify  *free_value,
             GError         **error)
{
  VigilApiClient *c = f->client;

  switch (call)
    {
    case CALL_START_SONG:
      *free_value = (GDestroyNotify) vigil_start_result_free;
      return vigil_api_client_start_song_finish (c, f->result, error);
    case CALL_START_PLAYLIST:
    case CALL_START_PLAYLIST_ALL:
      *free_value = (GDestroyNotify) vigil_start_result_free;
      return vigil_api_client_start_playlist_finish (c, f->result, error);
    case CALL_START_USER:
      *free_value = (GDestroyNotify) vigil_start_result_free;
      return vigil_api_client_start_user_finish (c, f->result, error);
    case CALL_PROGRESS:
      *free_value = (GDestroyNotify) vigil_progress_free;
      return vigil_api_client_get_progress_finish (c, f->result, error);
    case CALL_JOB_STATUS:
      *free_value = (GDestroyNotify) vigil_job_record_free;
      return vigil_api_client_get_job_status_finish (c, f->result, error);
    case CALL_ACTIVE:
      *free_value = (GDestroyNotify) g_ptr_array_unref;
      return vigil_api_client_get_active_progress_finish (c, f->result, error);
    case CALL_QUEUE_STATUS:
      *free_value = (GDestroyNotify) vigil_queue_status_free;
      return vigil_api_client_get_queue_status_finish (c, f->result, error);
    case CALL_WORKER_HEALTH:
      *free_value = (GDestroyNotify) vigil_worker_health_free;
      return vigil_api_client_get_worker_health_finish (c, f->result, error);
    case CALL_QUEUE_HEALTH:
      *free_value = (GDestroyNotify) vigil_queue_health_free;
      return vigil_api_client_get_queue_health_finish (c, f->result, error);
    case CALL_CLEANUP:
      *free_value = g_free;
      return vigil_api_client_cleanup_finish (c, f->result, error);
    case CALL_ACTIVE_STREAM:
      /* On failure, f->streamed keeps what was heard before. */
      *free_value = (GDestroyNotify) g_ptr_array_unref;
      if (!vigil_api_client_read_active_progress_finish (c, f->result, error))
        return NULL;
      return g_steal_pointer (&f->streamed);
    case N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

/* Runs one call to its end on the main loop. */
static Outcome *
run_call_full (Fixture      *f,
               Call          call,
               gint64        id,
               const char   *job_id,
               GCancellable *cancellable)
{
  Outcome *o = g_new0 (Outcome, 1);
  gint64 start = g_get_monotonic_time ();

  g_clear_object (&f->result);
  start_call (f, call, id, job_id, cancellable);
  f->guard_id = g_timeout_add_seconds (30, on_guard, NULL);
  g_main_loop_run (f->loop);
  g_clear_handle_id (&f->guard_id, g_source_remove);

  o->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  o->retry_after_ms = vigil_api_result_get_retry_after_ms (f->result);
  o->bytes_received = vigil_api_result_get_bytes_received (f->result);
  o->value = finish_call (f, call, &o->free_value, &o->error);
  g_assert_true ((o->value == NULL) == (o->error != NULL));
  g_clear_object (&f->result);
  return o;
}

static Outcome *
run_call (Fixture    *f,
          Call        call,
          gint64      id,
          const char *job_id)
{
  return run_call_full (f, call, id, job_id, NULL);
}

static void
assert_error (const char    *name,
              const Outcome *o,
              int            code,
              const char    *text)
{
  if (!g_error_matches (o->error, VIGIL_API_ERROR, code))
    {
      g_test_fail_printf ("%s: expected error %d, got %s", name, code,
                          o->error != NULL ? o->error->message : "a result");
      return;
    }

  if (text != NULL && strstr (o->error->message, text) == NULL)
    g_test_fail_printf ("%s: expected “%s” in “%s”", name, text, o->error->message);
}

/* ------------------------------------------------------------------ */
/* Error classes the demo server cannot produce                        */
/* ------------------------------------------------------------------ */

#define OK (-1)

typedef struct
{
  const char *name;
  Answer      answer;
  Call        call;
  int         error;            /* a VigilApiError, or OK */
  const char *text;             /* in the error message, or NULL */
  gint64      retry_after_ms;
} AnswerCase;

static const AnswerCase answer_cases[] = {
  { "forbidden", { 403, JSON, "{\"error\": \"Admin privileges required\"}" },
    CALL_START_USER, VIGIL_API_ERROR_FORBIDDEN, "Admin privileges required", -1 },
  { "forbidden-no-body", { 403 }, CALL_QUEUE_STATUS, VIGIL_API_ERROR_FORBIDDEN,
    "Admin privileges required", -1 },
  { "unauthorized", { 401, JSON, "{\"error\": \"Authentication required\"}" },
    CALL_PROGRESS, VIGIL_API_ERROR_UNAUTHORIZED, "Not signed in: Authentication required", -1 },
  { "not-json", { 200, "text/plain", "OK" }, CALL_QUEUE_STATUS, VIGIL_API_ERROR_PROTOCOL,
    "The server's answer is not JSON", -1 },
  { "broken-json", { 200, JSON, "{\"queue\": {\"total_jobs\": 4" }, CALL_QUEUE_STATUS,
    VIGIL_API_ERROR_PROTOCOL, "not JSON", -1 },
  { "json-not-object", { 200, JSON, "[1, 2]" }, CALL_ACTIVE, VIGIL_API_ERROR_PROTOCOL,
    "not a JSON object", -1 },
  { "empty-200", { 200, JSON, "" }, CALL_WORKER_HEALTH, VIGIL_API_ERROR_PROTOCOL, "empty", -1 },
  { "deep-200", { 200, JSON, "{\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                               "[[[[[[[[[[[[[[[[[[[[[" },
    CALL_PROGRESS, VIGIL_API_ERROR_PROTOCOL, "nested too deeply", -1 },
  { "wrong-shape", { 200, JSON, "{\"success\": true}" }, CALL_PROGRESS,
    VIGIL_API_ERROR_PROTOCOL, "no “progress” object", -1 },
  { "html-200", { 200, "text/html", "<html><body>Sign in</body></html>" }, CALL_JOB_STATUS,
    VIGIL_API_ERROR_UNAUTHORIZED, "Not signed in: the server answered with a sign-in page", -1 },
  { "html-labelled-json", { 200, JSON, "\n  <!DOCTYPE html><html></html>" }, CALL_PROGRESS,
    VIGIL_API_ERROR_UNAUTHORIZED, "sign-in page", -1 },
  { "xhtml-200", { 200, "application/xhtml+xml", "<?xml version=\"1.0\"?>" }, CALL_ACTIVE,
    VIGIL_API_ERROR_UNAUTHORIZED, "sign-in page", -1 },
  { "redirect-302", { 302, "text/html", "<a href=\"/login\">", BODY_TEXT, NULL, "/login" },
    CALL_PROGRESS, VIGIL_API_ERROR_UNAUTHORIZED, "Not signed in", -1 },
  { "redirect-303-json", { 303, JSON, "{}", BODY_TEXT, NULL, "/api/other" }, CALL_START_SONG,
    VIGIL_API_ERROR_UNAUTHORIZED, "redirected", -1 },
  { "redirect-301-no-location", { 301 }, CALL_QUEUE_STATUS, VIGIL_API_ERROR_UNAUTHORIZED,
    NULL, -1 },
  { "too-many", { 429, JSON, "{\"error\": \"slow down\"}", BODY_TEXT, "7" }, CALL_PROGRESS,
    VIGIL_API_ERROR_RATE_LIMITED, "7 seconds", 7000 },
  { "too-many-no-retry", { 429 }, CALL_PROGRESS, VIGIL_API_ERROR_RATE_LIMITED, NULL, -1 },
  { "too-many-huge-retry", { 429, NULL, NULL, BODY_TEXT, "99999999999999999999999" },
    CALL_PROGRESS, VIGIL_API_ERROR_RATE_LIMITED, NULL, 86400000 },
  { "too-many-bad-retry", { 429, NULL, NULL, BODY_TEXT, "soon" }, CALL_PROGRESS,
    VIGIL_API_ERROR_RATE_LIMITED, NULL, -1 },
  { "unavailable-retry", { 503, JSON, "{\"error\": \"maintenance\"}", BODY_TEXT, " 2 " },
    CALL_JOB_STATUS, VIGIL_API_ERROR_RATE_LIMITED, "2 seconds", 2000 },
  { "unavailable", { 503, JSON, "{\"error\": \"maintenance\"}" }, CALL_JOB_STATUS,
    VIGIL_API_ERROR_SERVER, "Server error (503): maintenance", -1 },
  { "server-error", { 500, JSON, "{\"success\": false, \"error\": \"Internal server error\"}" },
    CALL_PROGRESS, VIGIL_API_ERROR_SERVER, "Server error (500): Internal server error", -1 },
  { "server-error-message-first",
    { 500, JSON, "{\"status\": \"error\", \"error\": \"x\", \"message\": \"Failed to queue\"}" },
    CALL_START_SONG, VIGIL_API_ERROR_SERVER, "Server error (500): Failed to queue", -1 },
  { "server-error-html", { 502, "text/html", "<html>proxy</html>" }, CALL_QUEUE_STATUS,
    VIGIL_API_ERROR_SERVER, "Server error (502): Bad Gateway", -1 },
  { "not-found", { 404, JSON, "{\"status\": \"error\", \"message\": \"Job with ID x not found\"}" },
    CALL_JOB_STATUS, VIGIL_API_ERROR_NOT_FOUND, "Job with ID x not found", -1 },
  /* No word from the server: the message names the URL tried. */
  { "not-found-no-body", { 404 }, CALL_PROGRESS, VIGIL_API_ERROR_NOT_FOUND,
    "The server does not know the address http://127.0.0.1:", -1 },
  { "not-found-html", { 404, "text/html", "<html>Not Found</html>" }, CALL_QUEUE_STATUS,
    VIGIL_API_ERROR_NOT_FOUND, "/api/queue/status", -1 },
  { "not-found-generic", { 404, JSON, "{\"error\": \"Not Found.\"}" }, CALL_WORKER_HEALTH,
    VIGIL_API_ERROR_NOT_FOUND, "does not know the address http://127.0.0.1:", -1 },
  { "bad-request", { 400, JSON, "{\"error\": \"bad id\"}" }, CALL_START_SONG,
    VIGIL_API_ERROR_PROTOCOL, "(400): bad id", -1 },
  { "too-large-announced", { 200, JSON, NULL, BODY_BIG }, CALL_PROGRESS, VIGIL_API_ERROR_PROTOCOL,
    "larger than 4 MiB", -1 },
  { "too-large-endless", { 200, JSON, NULL, BODY_ENDLESS }, CALL_PROGRESS,
    VIGIL_API_ERROR_PROTOCOL, "larger than 4 MiB", -1 },
  /* Every running job in one answer may be larger. */
  { "batch-larger-allowed", { 200, JSON, NULL, BODY_BIG }, CALL_ACTIVE, OK, NULL, -1 },
  { "batch-too-large-endless", { 200, JSON, NULL, BODY_ENDLESS }, CALL_ACTIVE,
    VIGIL_API_ERROR_PROTOCOL, "larger than 32 MiB", -1 },
  { "queue-health-503", { 503, JSON, "{\"status\": \"error\", \"queue_health\": {\"redis\": 0}}" },
    CALL_QUEUE_HEALTH, OK, NULL, -1 },
  { "queue-health-503-html", { 503, "text/html", "<html>down</html>" }, CALL_QUEUE_HEALTH,
    VIGIL_API_ERROR_SERVER, "Server error (503)", -1 },
  { "start-nothing-to-do",
    { 200, JSON, "{\"success\": true, \"queued_count\": 0, \"message\": \"All songs already analyzed\"}" },
    CALL_START_PLAYLIST, OK, NULL, -1 },
  { "start-no-job-id", { 200, JSON, "{\"success\": true, \"message\": \"Queued\"}" },
    CALL_START_SONG, VIGIL_API_ERROR_PROTOCOL, "named no job", -1 },
  { "cleanup-ok", { 200, JSON, "{\"success\": true, \"message\": \"Cleaned up\"}" },
    CALL_CLEANUP, OK, NULL, -1 },
  { "text-plain-json", { 200, "text/plain", "{\"success\": true, \"message\": \"m\"}" },
    CALL_CLEANUP, OK, NULL, -1 },
};

static void
test_answers (Fixture       *f,
              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      const AnswerCase *c = &answer_cases[i];
      g_autoptr(Outcome) o = NULL;

      f->answer = c->answer;
      f->bytes_sent = 0;
      o = run_call (f, c->call, 1, "job-1");

      if (c->error == OK && o->error != NULL)
        g_test_fail_printf ("%s: unexpected error: %s", c->name, o->error->message);
      else if (c->error != OK)
        assert_error (c->name, o, c->error, c->text);

      if (o->retry_after_ms != c->retry_after_ms)
        g_test_fail_printf ("%s: Retry-After %" G_GINT64_FORMAT " ms, expected %" G_GINT64_FORMAT,
                            c->name, o->retry_after_ms, c->retry_after_ms);
    }

  /* The endless body was dropped near the limit, not read to the end. */
  g_assert_cmpuint (f->bytes_sent, <, 16 * 1024 * 1024);
  g_assert_cmpuint (vigil_api_client_get_request_count (f->client), ==, G_N_ELEMENTS (answer_cases));
}

static VigilApiEndpoint
endpoint_of (Call call)
{
  switch (call)
    {
    case CALL_START_SONG:
    case CALL_START_PLAYLIST:
    case CALL_START_PLAYLIST_ALL:
    case CALL_START_USER:
      return VIGIL_API_ENDPOINT_START;
    case CALL_PROGRESS:
      return VIGIL_API_ENDPOINT_PROGRESS;
    case CALL_JOB_STATUS:
      return VIGIL_API_ENDPOINT_JOB_STATUS;
    case CALL_ACTIVE:
    case CALL_ACTIVE_STREAM:
      return VIGIL_API_ENDPOINT_ACTIVE_PROGRESS;
    case CALL_QUEUE_STATUS:
      return VIGIL_API_ENDPOINT_QUEUE_STATUS;
    case CALL_WORKER_HEALTH:
      return VIGIL_API_ENDPOINT_WORKER_HEALTH;
    case CALL_QUEUE_HEALTH:
      return VIGIL_API_ENDPOINT_QUEUE_HEALTH;
    case CALL_CLEANUP:
      return VIGIL_API_ENDPOINT_CLEANUP;
    case N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

/* Offline there is no address to name: a 404's message says "this address"
 * where a request names the URL it asked. */
static gboolean
same_message_but_address (const char *offline,
                          const char *over_http)
{
  return g_strcmp0 (offline, over_http) == 0 ||
         (g_strcmp0 (offline, "The server does not know this address") == 0 &&
          g_str_has_prefix (over_http, "The server does not know the address http://127.0.0.1:"));
}

/* The answer path without a network (what the fuzz targets drive) ends
 * as a request does: every fixture answer, read both ways. */
static void
test_read_answer_offline (Fixture       *f,
                          gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      const AnswerCase *c = &answer_cases[i];
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Outcome) o = NULL;
      gint64 retry_after_ms = 0;
      gpointer result;

      if (c->answer.kind != BODY_TEXT)
        continue;

      f->answer = c->answer;
      o = run_call (f, c->call, 1, "job-1");

      headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      if (c->answer.content_type != NULL)
        soup_message_headers_set_content_type (headers, c->answer.content_type, NULL);
      if (c->answer.retry_after != NULL)
        soup_message_headers_replace (headers, "Retry-After", c->answer.retry_after);
      body = g_bytes_new (c->answer.body, c->answer.body != NULL ? strlen (c->answer.body) : 0);
      result = vigil_api_read_answer (endpoint_of (c->call), c->answer.status, NULL, headers, body,
                                      &retry_after_ms, &error);

      g_assert_true ((result == NULL) == (error != NULL));
      vigil_api_endpoint_free_result (endpoint_of (c->call), result);
      if ((o->error == NULL) != (error == NULL) ||
          (error != NULL && (error->code != o->error->code ||
                             !same_message_but_address (error->message, o->error->message))))
        g_test_fail_printf ("%s: offline “%s”, over HTTP “%s”", c->name,
                            error ? error->message : "a result",
                            o->error ? o->error->message : "a result");
      g_assert_cmpint (retry_after_ms, ==, o->retry_after_ms);
    }
}

static void
test_queue_health_unavailable (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL, counted = NULL;
  VigilQueueHealth *health;

  f->answer = (Answer) { 503, JSON, "{\"status\": \"error\", \"queue_health\": {\"redis\": \"down\"}}" };
  o = run_call (f, CALL_QUEUE_HEALTH, 0, NULL);
  g_assert_no_error (o->error);
  health = o->value;
  g_assert_false (health->healthy);
  g_assert_cmpstr (health->status, ==, "error");
  g_assert_cmpstr (health->details, ==, "{\"redis\":\"down\"}");
  /* No counts given: every one unknown, never 0. */
  g_assert_cmpint (health->pending_jobs, ==, -1);
  g_assert_cmpint (health->in_progress_jobs, ==, -1);
  g_assert_cmpint (health->total_jobs, ==, -1);
  g_assert_null (health->issues);

  /* The counts of a 503 are read (any case, unknown statuses ignored). */
  f->answer = (Answer) { 503, JSON,
                         "{\"status\": \"error\", \"queue_health\": {\"healthy\": false, "
                         "\"issues\": [\"No workers\", 7, \"Backlog\"], \"queue_status\": "
                         "{\"status_counts\": {\"PENDING\": 3, \"in_progress\": 1, \"completed\": 30, "
                         "\"failed\": 6, \"weird\": 9, \"interrupted\": -2}, \"total_jobs\": 40}}}" };
  counted = run_call (f, CALL_QUEUE_HEALTH, 0, NULL);
  g_assert_no_error (counted->error);
  health = counted->value;
  g_assert_false (health->healthy);
  g_assert_cmpint (health->pending_jobs, ==, 3);
  g_assert_cmpint (health->in_progress_jobs, ==, 1);
  g_assert_cmpint (health->completed_jobs, ==, 30);
  g_assert_cmpint (health->failed_jobs, ==, 6);
  g_assert_cmpint (health->total_jobs, ==, 40);
  g_assert_nonnull (health->issues);
  g_assert_cmpstr (health->issues[0], ==, "No workers");
  g_assert_cmpstr (health->issues[1], ==, "Backlog");
  g_assert_null (health->issues[2]);
}

/* Server values are kept as the server spelt them, beside the enums. */
static void
test_raw_values (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Outcome) odd = NULL, usual = NULL, numeric = NULL, bare = NULL, worker = NULL;
  VigilJobRecord *r;

  f->answer = (Answer) { 200, JSON,
                         "{\"job\": {\"job_id\": \"j\", \"status\": \"QUEUED\", "
                         "\"job_type\": \"ALBUM_ANALYSIS\", \"priority\": \"urgent\"}}" };
  odd = run_call (f, CALL_JOB_STATUS, 0, "j");
  g_assert_no_error (odd->error);
  r = odd->value;
  g_assert_cmpint (r->status, ==, VIGIL_JOB_STATUS_UNKNOWN);
  g_assert_cmpstr (r->status_raw, ==, "QUEUED");
  g_assert_cmpstr (r->job_type_raw, ==, "ALBUM_ANALYSIS");
  g_assert_cmpstr (r->priority_raw, ==, "urgent");

  f->answer = (Answer) { 200, JSON,
                         "{\"job\": {\"status\": \"in_progress\", \"job_type\": \"SONG_ANALYSIS\", "
                         "\"priority\": \"HIGH\", \"progress\": {\"current_step\": \"lyrics_fetching\"}}}" };
  usual = run_call (f, CALL_JOB_STATUS, 0, "j");
  r = usual->value;
  g_assert_cmpint (r->status, ==, VIGIL_JOB_STATUS_IN_PROGRESS);
  g_assert_cmpstr (r->status_raw, ==, "in_progress");
  g_assert_cmpstr (r->job_type_raw, ==, "SONG_ANALYSIS");
  g_assert_cmpstr (r->progress->step_raw, ==, "lyrics_fetching");

  f->answer = (Answer) { 200, JSON, "{\"job\": {\"priority\": 2, \"progress\": 0}}" };
  numeric = run_call (f, CALL_JOB_STATUS, 0, "j");
  r = numeric->value;
  g_assert_cmpint (r->priority, ==, VIGIL_PRIORITY_MEDIUM);
  g_assert_null (r->priority_raw);
  g_assert_null (r->status_raw);
  g_assert_null (r->job_type_raw);
  g_assert_null (r->progress);
  g_assert_cmpfloat (r->fraction, ==, 0.0);

  f->answer = (Answer) { 200, JSON, "{\"job\": {\"status\": \"COMPLETED\"}}" };
  bare = run_call (f, CALL_JOB_STATUS, 0, "j");
  g_assert_cmpfloat (((VigilJobRecord *) bare->value)->fraction, ==, VIGIL_UNKNOWN);

  f->answer = (Answer) { 200, JSON, "{\"worker\": {\"uptime_seconds\": 5}}" };
  worker = run_call (f, CALL_WORKER_HEALTH, 0, NULL);
  g_assert_cmpstr (((VigilWorkerHealth *) worker->value)->status, ==, "unknown");
  g_assert_null (((VigilWorkerHealth *) worker->value)->status_raw);
}

typedef struct
{
  GPtrArray *ids;    /* "progress:ID" or "record:ID", in order */
} Heard;

static void
on_progress_read (VigilApiClient *client,
                  const char     *job_id,
                  VigilProgress  *progress,
                  Heard          *heard)
{
  g_assert_nonnull (progress);
  g_ptr_array_add (heard->ids, g_strconcat ("progress:", job_id, NULL));
}

static void
on_record_read (VigilApiClient *client,
                const char     *job_id,
                VigilJobRecord *record,
                Heard          *heard)
{
  g_assert_nonnull (record);
  g_ptr_array_add (heard->ids, g_strconcat ("record:", job_id, NULL));
}

/* Tools that show the server's own words hear every progress object and job
 * record read, named by the job id asked for (or the batch's key). */
static void
test_read_signals (Fixture       *f,
                   gconstpointer  data)
{
  Heard heard = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(Outcome) progress = NULL, record = NULL, batch = NULL, failed = NULL;

  g_signal_connect (f->client, "progress-read", G_CALLBACK (on_progress_read), &heard);
  g_signal_connect (f->client, "job-record-read", G_CALLBACK (on_record_read), &heard);

  f->answer = (Answer) { 200, JSON, "{\"progress\": {\"job_id\": \"other\"}}" };
  progress = run_call (f, CALL_PROGRESS, 0, "asked");
  f->answer = (Answer) { 200, JSON, "{\"job\": {}}" };
  record = run_call (f, CALL_JOB_STATUS, 0, "rec");
  f->answer = (Answer) { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": {\"job_id\": \"b\"}}}" };
  batch = run_call (f, CALL_ACTIVE, 0, NULL);
  f->answer = (Answer) { 500 };
  failed = run_call (f, CALL_JOB_STATUS, 0, "gone");

  g_assert_cmpuint (heard.ids->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (heard.ids, 0), ==, "progress:asked");
  g_assert_cmpstr (g_ptr_array_index (heard.ids, 1), ==, "record:rec");
  g_assert_cmpstr (g_ptr_array_index (heard.ids, 2), ==, "progress:a");
  g_assert_cmpstr (g_ptr_array_index (heard.ids, 3), ==, "progress:b");

  g_signal_handlers_disconnect_by_data (f->client, &heard);
  g_ptr_array_unref (heard.ids);
}

static void
test_retry_after_date (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 429, JSON, "{}", BODY_TEXT, date };
  o = run_call (f, CALL_WORKER_HEALTH, 0, NULL);
  assert_error ("retry-after-date", o, VIGIL_API_ERROR_RATE_LIMITED, NULL);
  g_assert_cmpint (o->retry_after_ms, >, 27000);
  g_assert_cmpint (o->retry_after_ms, <=, 30000);
}

/* A successful answer also reports its Retry-After. */
static void
test_retry_after_on_success (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 200, JSON, "{\"progress\": {\"job_id\": \"j\"}}", BODY_TEXT, "3" };
  o = run_call (f, CALL_PROGRESS, 0, "j");
  g_assert_no_error (o->error);
  g_assert_cmpint (o->retry_after_ms, ==, 3000);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  vigil_api_client_set_timeout (f->client, 1);
  f->answer = (Answer) { 200, JSON, "{\"progress\": {}}", .delay_ms = 3000 };
  o = run_call (f, CALL_PROGRESS, 0, "slow");
  assert_error ("timeout", o, VIGIL_API_ERROR_TIMEOUT, "The server did not answer within 1 second");
  g_assert_cmpint (o->elapsed_ms, >=, 900);
  /* before the answer, due at 3 s: room for a busy machine */
  g_assert_cmpint (o->elapsed_ms, <, 2900);
}

/* A server that keeps the connection busy with a byte now and then is
 * stopped by the whole-request deadline, not by the I/O timeout. */
static void
test_timeout_trickle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  vigil_api_client_set_timeout (f->client, 1);
  f->answer = (Answer) { 200, JSON, NULL, BODY_TRICKLE };
  o = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  assert_error ("trickle", o, VIGIL_API_ERROR_TIMEOUT, "1 second");
  g_assert_cmpint (o->elapsed_ms, <, 2500);
}

static void
test_default_timeout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(VigilApiClient) client = vigil_api_client_new ("http://127.0.0.1:1", NULL);

  g_assert_cmpuint (vigil_api_client_get_timeout (client), ==, 15);
  g_assert_cmpstr (vigil_api_client_get_user_agent (client), ==, "Vigil/" PACKAGE_VERSION);
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 200, JSON, "{\"progress\": {}}", .delay_ms = 2000 };
  g_timeout_add_full (G_PRIORITY_DEFAULT, 200, cancel_now, g_object_ref (cancellable),
                      g_object_unref);
  o = run_call_full (f, CALL_PROGRESS, 0, "j", cancellable);
  g_assert_error (o->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* before the answer, due at 2 s */
  g_assert_cmpint (o->elapsed_ms, <, 1900);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 200, JSON, "{\"job\": {}}" };
  g_cancellable_cancel (cancellable);
  o = run_call_full (f, CALL_JOB_STATUS, 0, "j", cancellable);
  g_assert_error (o->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SoupServer) closed = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Outcome) o = NULL;

  /* A port that was free a moment ago and is closed now. */
  soup_server_listen_local (closed, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = server_url (closed);
  soup_server_disconnect (closed);

  g_clear_object (&f->client);
  new_client (f, url);
  o = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  expected = g_strdup_printf ("Could not connect to %s: Connection refused", url);
  assert_error ("refused", o, VIGIL_API_ERROR_NETWORK, expected);
  g_assert_cmpint (o->retry_after_ms, ==, -1);
}

static void
test_host_not_found (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  g_clear_object (&f->client);
  new_client (f, "http://vigil-test.invalid");
  o = run_call (f, CALL_PROGRESS, 0, "j");
  if (g_error_matches (o->error, VIGIL_API_ERROR, VIGIL_API_ERROR_TIMEOUT))
    {
      g_test_skip ("the resolver did not answer in time");
      return;
    }
  assert_error ("host-not-found", o, VIGIL_API_ERROR_NETWORK,
                "Could not connect to http://vigil-test.invalid: ");
}

/* What goes out: headers, escaped ids, bodies; redirects not followed. */
static void
test_request_shape (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 200, JSON, "{\"progress\": {}}" };
  o = run_call (f, CALL_PROGRESS, 0, "a/b?c d#é");
  g_assert_no_error (o->error);
  g_assert_cmpstr (f->method, ==, "GET");
  /* SoupServer decodes the path: '?' and '#' reached it inside the path. */
  g_assert_cmpstr (g_ptr_array_index (f->paths, 0), ==, "/api/progress/a/b?c d#é");
  g_assert_null (f->authorization);
  g_assert_null (f->cookie);
  g_assert_cmpstr (f->user_agent, ==, "Vigil/" PACKAGE_VERSION);
  g_assert_cmpstr (f->accept, ==, "application/json");
  /* The progress object read fine although it carries no job id. */
  g_assert_null (((VigilProgress *) o->value)->job_id);
}

/* The request line as sent, read by a bare socket service: SoupServer
 * would decode the path before a test could see it. */
typedef struct
{
  Fixture           *f;
  GSocketConnection *conn;
  char               buf[4096];
  gsize              len;
} RawConnection;

static void raw_read_more (RawConnection *rc);

static const char raw_ok[] =
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 28\r\n"
  "Connection: close\r\n\r\n{\"job\": {\"job_id\": \"raw\"}}";

static void
raw_answer (RawConnection *rc)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (rc->conn));
  const char *answer = rc->f->raw_answer != NULL ? rc->f->raw_answer : raw_ok;

  g_free (rc->f->request_body);
  rc->f->request_body = g_strndup (rc->buf, strcspn (rc->buf, "\r\n"));
  /* A few bytes into an idle socket's buffer do not block. */
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (rc->conn), NULL, NULL);
}

static void
on_raw_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawConnection *rc = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0)
    {
      rc->len += n;
      rc->buf[rc->len] = '\0';
      if (strstr (rc->buf, "\r\n\r\n") == NULL && rc->len < sizeof rc->buf - 1)
        {
          raw_read_more (rc);
          return;
        }
      raw_answer (rc);
    }

  g_object_unref (rc->conn);
  g_free (rc);
}

static void
raw_read_more (RawConnection *rc)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (rc->conn));

  g_input_stream_read_async (in, rc->buf + rc->len, sizeof rc->buf - 1 - rc->len,
                             G_PRIORITY_DEFAULT, NULL, on_raw_read, rc);
}

static gboolean
on_raw_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  RawConnection *rc = g_new0 (RawConnection, 1);

  rc->f = user_data;
  rc->conn = g_object_ref (connection);
  raw_read_more (rc);
  return TRUE;
}

static void
start_raw_service (Fixture        *f,
                   GSocketService *service)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_raw_incoming), f);
  url = g_strdup_printf ("http://127.0.0.1:%u/prefix/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_clear_object (&f->client);
  new_client (f, url);
}

static void
stop_raw_service (GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_raw_path (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(Outcome) o = NULL;

  start_raw_service (f, service);
  o = run_call (f, CALL_JOB_STATUS, 0, "a/b?c d#é%");
  g_assert_no_error (o->error);
  g_assert_cmpstr (((VigilJobRecord *) o->value)->job_id, ==, "raw");
  g_assert_cmpstr (f->request_body, ==,
                   "GET /prefix/api/jobs/a%2Fb%3Fc%20d%23%C3%A9%25/status HTTP/1.1");
  stop_raw_service (service);
}

/* The server hangs up: before answering, or in the middle of the body. */
static const struct
{
  const char *name;
  const char *answer;
  int         error;
  const char *text;
} hangup_cases[] = {
  { "no-answer", "", VIGIL_API_ERROR_NETWORK, "The connection to http://127.0.0.1:" },
  { "cut-headers", "HTTP/1.1 200 OK\r\nContent-Ty", VIGIL_API_ERROR_PROTOCOL,
    "could not be read" },
  { "cut-body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
    "\r\n{\"job\": {", VIGIL_API_ERROR_NETWORK, "The connection to http://127.0.0.1:" },
  { "not-http", "SSH-2.0-OpenSSH_9.2\r\n", VIGIL_API_ERROR_PROTOCOL, NULL },
};

static void
test_hangups (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();

  start_raw_service (f, service);
  for (guint i = 0; i < G_N_ELEMENTS (hangup_cases); i++)
    {
      g_autoptr(Outcome) o = NULL;

      f->raw_answer = hangup_cases[i].answer;
      o = run_call (f, CALL_JOB_STATUS, 0, "j");
      assert_error (hangup_cases[i].name, o, hangup_cases[i].error, hangup_cases[i].text);
      g_test_message ("%s: %s", hangup_cases[i].name, o->error ? o->error->message : "-");
    }
  stop_raw_service (service);
}

static void
test_credentials (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;
  g_autoptr(Outcome) p = NULL;
  g_autofree char *token = NULL;

  vigil_api_client_set_token (f->client, "  s3cret\n");
  vigil_api_client_set_cookie (f->client, "session=abc");
  vigil_api_client_set_user_agent (f->client, "Probe/1");
  g_object_get (f->client, "token", &token, NULL);
  g_assert_cmpstr (token, ==, "s3cret");

  f->answer = (Answer) { 200, JSON, "{\"job\": {\"job_id\": \"x\"}}" };
  o = run_call (f, CALL_JOB_STATUS, 0, "x");
  g_assert_no_error (o->error);
  g_assert_cmpstr (g_ptr_array_index (f->paths, 0), ==, "/api/jobs/x/status");
  g_assert_cmpstr (f->authorization, ==, "Bearer s3cret");
  g_assert_cmpstr (f->cookie, ==, "session=abc");
  g_assert_cmpstr (f->user_agent, ==, "Probe/1");

  /* A value that would break the header line is not sent at all. */
  vigil_api_client_set_token (f->client, "a\r\nX-Evil: 1");
  vigil_api_client_set_cookie (f->client, NULL);
  p = run_call (f, CALL_JOB_STATUS, 0, "x");
  g_assert_no_error (p->error);
  g_assert_null (f->authorization);
  g_assert_null (f->cookie);
}

static void
test_redirect_not_followed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 302, "text/html", "moved", BODY_TEXT, NULL, "/login" };
  o = run_call (f, CALL_JOB_STATUS, 0, "j");
  assert_error ("redirect", o, VIGIL_API_ERROR_UNAUTHORIZED, "Not signed in");
  g_assert_cmpuint (f->paths->len, ==, 1);
}

static const struct
{
  Call        call;
  gint64      id;
  const char *method;
  const char *path;
  const char *body;
} shape_cases[] = {
  { CALL_START_SONG, 123, "POST", "/api/songs/123/analyze", "{}" },
  { CALL_START_PLAYLIST, 4, "POST", "/api/playlists/4/analyze-unanalyzed", "{}" },
  { CALL_START_PLAYLIST_ALL, 4, "POST", "/api/playlists/4/reanalyze-all", "{}" },
  { CALL_START_USER, 789, "POST", "/api/admin/reanalyze-user/789", "{}" },
  { CALL_ACTIVE, 0, "GET", "/api/progress", "" },
  { CALL_QUEUE_STATUS, 0, "GET", "/api/queue/status", "" },
  { CALL_WORKER_HEALTH, 0, "GET", "/api/worker/health", "" },
  { CALL_QUEUE_HEALTH, 0, "GET", "/api/queue/health", "" },
  { CALL_CLEANUP, 12, "POST", "/api/progress/cleanup", "{\"max_age_hours\": 12}" },
  { CALL_CLEANUP, 0, "POST", "/api/progress/cleanup", "{}" },
  { CALL_CLEANUP, -3, "POST", "/api/progress/cleanup", "{}" },
};

static void
test_paths (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (shape_cases); i++)
    {
      g_autoptr(Outcome) o = NULL;

      f->answer = (Answer) { 500 };
      o = run_call (f, shape_cases[i].call, shape_cases[i].id, NULL);
      assert_error (shape_cases[i].path, o, VIGIL_API_ERROR_SERVER, "Server error (500)");
      g_assert_cmpstr (f->method, ==, shape_cases[i].method);
      g_assert_cmpstr (g_ptr_array_index (f->paths, i), ==, shape_cases[i].path);
      g_assert_cmpstr (f->request_body, ==, shape_cases[i].body);
    }
}

/* A long server message is shortened for display. */
static void
test_long_message (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *filler = g_strnfill (5000, 'x');
  g_autofree char *body = g_strdup_printf ("{\"error\": \"%s\"}", filler);
  g_autoptr(Outcome) o = NULL;

  f->answer = (Answer) { 500, JSON, body };
  o = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  assert_error ("long-message", o, VIGIL_API_ERROR_SERVER, "Server error (500): xxx");
  g_assert_cmpuint (g_utf8_strlen (o->error->message, -1), <, 260);
  g_assert_true (g_str_has_suffix (o->error->message, "…"));
}

/* Texts a server supplies for error messages are for display: valid
 * UTF-8 and one line without control characters, whatever came (found by
 * fuzz-answer: a Windows-1252 reason phrase made an invalid UTF-8 message). */
static void
test_message_texts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Outcome) reason = NULL;
  g_autoptr(Outcome) body = NULL;

  f->answer = (Answer) { 500, JSON, "{}", BODY_TEXT, NULL, NULL, 0,
                         "\x93Internal\x94 \x1b[2J Server\tError" };
  reason = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  assert_error ("reason", reason, VIGIL_API_ERROR_SERVER, "Server error (500): ");
  g_assert_true (g_utf8_validate (reason->error->message, -1, NULL));
  g_assert_nonnull (strstr (reason->error->message, "Internal"));
  g_assert_null (strchr (reason->error->message, '\x1b'));
  g_assert_null (strchr (reason->error->message, '\t'));

  f->answer = (Answer) { 503, JSON, "{\"error\": \"down\\u001b[31m\\nfor maintenance\"}" };
  body = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  assert_error ("body", body, VIGIL_API_ERROR_SERVER, "Server error (503): down");
  g_assert_null (strchr (body->error->message, '\x1b'));
  g_assert_null (strchr (body->error->message, '\n'));
}

/* GET /api/progress with n jobs, each message quoting a word when asked */
static GString *
large_active_body (guint       n,
                   const char *word,
                   const char *tail)
{
  GString *body = g_string_new ("{\"success\": true, \"active_jobs\": {");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s\"job-%u\": {\"current_progress\": 0.5, \"current_message\": "
                            "\"Analyzing song number %u of a %s long playlist\"}",
                            i > 0 ? ", " : "", i, i, word);
  g_string_append (body, tail);
  return body;
}

/* Bodies close to the limit are read whole, in many chunks. */
static void
test_large_body (Fixture       *f,
                 gconstpointer  data)
{
  guint n = 20000;
  g_autoptr(GString) body = large_active_body (n, "very", "}}");
  g_autoptr(Outcome) o = NULL;

  g_assert_cmpuint (body->len, >, 2 * 1024 * 1024);
  g_assert_cmpuint (body->len, <, VIGIL_API_MAX_BODY_SIZE);

  f->answer = (Answer) { 200, JSON, body->str };
  o = run_call (f, CALL_ACTIVE, 0, NULL);
  g_assert_no_error (o->error);
  g_assert_cmpuint (((GPtrArray *) o->value)->len, ==, n);
}

/* ------------------------------------------------------------------ */
/* GET /api/progress read as it arrives                                */
/* ------------------------------------------------------------------ */

static char *
describe_jobs (GPtrArray *jobs)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    {
      VigilProgress *p = g_ptr_array_index (jobs, i);

      g_string_append_printf (out, "%s %g %s|", p->job_id, p->fraction,
                              p->message != NULL ? p->message : "-");
    }
  return g_string_free (out, FALSE);
}

static void
compare_streamed (Fixture      *f,
                  const char   *name,
                  const Answer *answer)
{
  g_autoptr(Outcome) whole = NULL;
  g_autoptr(Outcome) streamed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *before = NULL;

  f->answer = *answer;
  f->bytes_sent = 0;
  whole = run_call (f, CALL_ACTIVE, 0, NULL);
  f->bytes_sent = 0;
  streamed = run_call (f, CALL_ACTIVE_STREAM, 0, NULL);

  g_test_message ("%s: %s", name, whole->error != NULL ? whole->error->message : "read");
  if ((whole->error == NULL) != (streamed->error == NULL) ||
      (whole->error != NULL && (whole->error->domain != streamed->error->domain ||
                                whole->error->code != streamed->error->code ||
                                g_strcmp0 (whole->error->message, streamed->error->message) != 0)))
    {
      g_test_fail_printf ("%s: whole “%s”, streamed “%s”", name,
                          whole->error ? whole->error->message : "a result",
                          streamed->error ? streamed->error->message : "a result");
      return;
    }
  g_assert_cmpint (whole->retry_after_ms, ==, streamed->retry_after_ms);
  if (answer->kind != BODY_ENDLESS && answer->kind != BODY_ENDLESS_JOBS)
    g_assert_cmpuint (whole->bytes_received, ==, streamed->bytes_received);

  if (whole->error == NULL)
    {
      expected = describe_jobs (whole->value);
      got = describe_jobs (streamed->value);
      g_assert_cmpstr (got, ==, expected);
    }
  else if (f->streamed != NULL && f->streamed->len > 0)
    {
      /* What was heard before the fault: whole records of the body. */
      before = describe_jobs (f->streamed);
      g_test_message ("%s: %u records heard before: %s", name, f->streamed->len, before);
      g_assert_nonnull (answer->body);
      for (guint i = 0; i < f->streamed->len; i++)
        {
          VigilProgress *p = g_ptr_array_index (f->streamed, i);
          g_autofree char *key = g_strdup_printf ("\"%s\"", p->job_id);

          g_assert_nonnull (strstr (answer->body, key));
        }
    }
}

static const struct
{
  const char *name;
  Answer      answer;
  guint       heard;    /* records heard before the error (streamed) */
} streamed_cases[] = {
  { "jobs", { 200, JSON, "{\"success\": true, \"active_jobs\": {\"a\": {\"current_progress\": 0.5,"
              " \"current_message\": \"Analyzing 'x}{' by \\\"Y\\\"\"}, \"b\": {\"job_id\": \"b2\"},"
              " \"é\\u00e9\": {\"progress\": 1e-1}}, \"total_active\": 3}" }, 0 },
  { "jobs-array", { 200, JSON, "{\"active_jobs\": [{\"job_id\": \"x\"}, 3, {\"job_id\": \"y\"}]}" },
    0 },
  { "no-jobs", { 200, JSON, "{\"success\": true, \"active_jobs\": {}}" }, 0 },
  { "text-plain", { 200, "text/plain", "{\"active_jobs\": {\"a\": {}}}" }, 0 },
  { "truncated", { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": {\"current_progress\": 0.5}, "
                   "\"c\": {\"current_progress\": 0." }, 2 },
  { "html-midway", { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": {}, <html><body>Sign in" },
    2 },
  /* A piece is checked for UTF-8 before its records are read: none here. */
  { "not-utf8-midway", { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": {\"m\": \"\xff\"}}}" },
    0 },
  { "deep-midway", { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": [[[[[[[[[[[[[[[[[[[[[[[[[[["
                     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]" }, 1 },
  { "garbage-after", { 200, JSON, "{\"active_jobs\": {\"a\": {}}} and more" }, 1 },
  { "missing", { 200, JSON, "{\"success\": true}" }, 0 },
  { "html-start", { 200, JSON, "  <html><body>Sign in</body></html>" }, 0 },
  { "too-large-midway", { 200, JSON, "{\"active_jobs\": {\"a\": {}, \"b\": {}, \"c\": {",
                          BODY_ENDLESS_JOBS }, 2 },
};

/* The poller reads GET /api/progress as it arrives: every answer gives what
 * the whole answer gives (the same records, or the same error, Retry-After
 * and bytes received); records heard before a fault were whole. */
static void
test_active_streamed (Fixture       *f,
                      gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    compare_streamed (f, answer_cases[i].name, &answer_cases[i].answer);

  for (guint i = 0; i < G_N_ELEMENTS (streamed_cases); i++)
    {
      compare_streamed (f, streamed_cases[i].name, &streamed_cases[i].answer);
      /* After a success the records were taken from f->streamed. */
      g_assert_cmpuint (f->streamed != NULL ? f->streamed->len : 0, ==, streamed_cases[i].heard);
    }
}

/* A body many times the size of a read, in a job's worth of pieces. */
static void
test_active_streamed_large (Fixture       *f,
                            gconstpointer  data)
{
  guint n = 20000;
  g_autoptr(GString) body = large_active_body (n, "\\\"very\\\"", "}, \"total_active\": 20000}");
  g_autoptr(Outcome) o = NULL;

  compare_streamed (f, "large", &(Answer) { 200, JSON, body->str });

  f->answer = (Answer) { 200, JSON, body->str };
  o = run_call (f, CALL_ACTIVE_STREAM, 0, NULL);
  g_assert_no_error (o->error);
  g_assert_cmpuint (((GPtrArray *) o->value)->len, ==, n);
  g_assert_cmpuint (o->bytes_received, ==, body->len);
}

/* The caller may cancel from its func (a poller disposed while it applies
 * a record): no record is heard after that, and the request ends cancelled. */
static void
test_active_streamed_cancel (Fixture       *f,
                             gconstpointer  data)
{
  /* Read as it comes, and (not the usual shape) kept and read whole. */
  static const char *const heads[] = { "{\"active_jobs\": {", "{\"active\\u005fjobs\": {" };

  for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
    {
      g_autoptr(GString) body = g_string_new (heads[h]);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(Outcome) o = NULL;

      for (guint i = 0; i < 5000; i++)
        g_string_append_printf (body, "%s\"job-%u\": {\"current_progress\": 0.5}",
                                i > 0 ? ", " : "", i);
      g_string_append (body, "}}");

      f->answer = (Answer) { 200, JSON, body->str };
      f->cancel_on_record = cancellable;
      o = run_call_full (f, CALL_ACTIVE_STREAM, 0, NULL, cancellable);
      f->cancel_on_record = NULL;
      g_assert_error (o->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (f->streamed->len, ==, 1);
    }
}

/* ------------------------------------------------------------------ */
/* Base URLs                                                           */
/* ------------------------------------------------------------------ */

static const struct
{
  const char *url;
  const char *base;    /* NULL: refused with INVALID_URL */
} url_cases[] = {
  { "http://localhost:5001", "http://localhost:5001" },
  { "http://localhost:5001/", "http://localhost:5001" },
  { "https://example.org/vigil//", "https://example.org/vigil" },
  { "  http://127.0.0.1:5001  ", "http://127.0.0.1:5001" },
  { "HTTP://[::1]:5001", "HTTP://[::1]:5001" },
  { "", NULL },
  { "   ", NULL },
  { "localhost:5001", NULL },
  { "ftp://example.org", NULL },
  { "file:///etc/passwd", NULL },
  { "http://", NULL },
  { "http:///path", NULL },
  { "http://host/?q=1", NULL },
  { "http://host/?", NULL },
  { "http://host/#top", NULL },
  { "http://user:pw@host/", NULL },
  /* /api is added to every path: a base ending in it is a mistake. */
  { "http://localhost:5001/api", NULL },
  { "http://localhost:5001/api/", NULL },
  { "https://example.org/analysis/API", NULL },
  { "https://example.org/api/analysis", "https://example.org/api/analysis" },
  { "https://example.org/apis", "https://example.org/apis" },
  { "http://ho st/", NULL },
  { "not a url", NULL },
};

static void
test_base_urls (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilApiClient) client = vigil_api_client_new (url_cases[i].url, &error);

      if (url_cases[i].base == NULL)
        {
          if (!g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL))
            g_test_fail_printf ("“%s” was accepted", url_cases[i].url);
          else
            g_assert_null (strstr (error->message, "pw"));
          continue;
        }

      g_assert_no_error (error);
      g_assert_cmpstr (vigil_api_client_get_base_url (client), ==, url_cases[i].base);
    }

  g_assert_null (vigil_api_client_new (NULL, NULL));
}

/* The refusal of a base ending in /api names it and suggests the fix. */
static void
test_base_url_api_suffix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = vigil_api_client_new ("https://example.org/analysis/api/",
                                                           &error);

  g_assert_null (client);
  g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "“https://example.org/analysis/api/”"));
  g_assert_nonnull (strstr (error->message, "use https://example.org/analysis"));
}

/* ------------------------------------------------------------------ */
/* Against the demo server                                             */
/* ------------------------------------------------------------------ */

static void
on_job_started (VigilDemoServer *demo,
                const char      *job_id,
                gpointer         user_data)
{
  Fixture *f = user_data;

  if (g_strcmp0 (job_id, g_object_get_data (G_OBJECT (demo), "awaited")) == 0)
    g_main_loop_quit (f->loop);
}

/* A job that a worker runs (its progress record exists) when this returns. */
static char *
running_job (Fixture      *f,
             VigilJobKind  kind,
             gint64        target_id)
{
  char *job_id = vigil_demo_server_add_job (f->demo, kind, target_id, 5, 600, 0.4);
  g_autoptr(Outcome) o = run_call (f, CALL_JOB_STATUS, 0, job_id);
  gulong handler;

  g_assert_no_error (o->error);
  if (((VigilJobRecord *) o->value)->status == VIGIL_JOB_STATUS_IN_PROGRESS)
    return job_id;

  /* No loop iteration ran since the answer: the start cannot be missed. */
  g_object_set_data_full (G_OBJECT (f->demo), "awaited", g_strdup (job_id), g_free);
  handler = g_signal_connect (f->demo, "job-started", G_CALLBACK (on_job_started), f);
  f->guard_id = g_timeout_add_seconds (30, on_guard, NULL);
  g_main_loop_run (f->loop);
  g_clear_handle_id (&f->guard_id, g_source_remove);
  g_signal_handler_disconnect (f->demo, handler);
  return job_id;
}

static void
test_demo_start (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Outcome) song = run_call (f, CALL_START_SONG, 1, NULL);
  g_autoptr(Outcome) playlist = run_call (f, CALL_START_PLAYLIST, 1, NULL);
  g_autoptr(Outcome) all = run_call (f, CALL_START_PLAYLIST_ALL, 2, NULL);
  g_autoptr(Outcome) done = run_call (f, CALL_START_PLAYLIST, VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST,
                                      NULL);
  g_autoptr(Outcome) user = run_call (f, CALL_START_USER, 3, NULL);
  VigilStartResult *r;

  g_assert_no_error (song->error);
  r = song->value;
  g_assert_nonnull (r->job_id);
  g_assert_cmpint (r->song_id, ==, 1);
  g_assert_nonnull (r->message);

  g_assert_no_error (playlist->error);
  r = playlist->value;
  g_assert_nonnull (r->job_id);
  g_assert_cmpint (r->queued_count, >=, 5);

  g_assert_no_error (all->error);
  g_assert_nonnull (((VigilStartResult *) all->value)->job_id);

  /* Nothing to analyse: a result without a job, not an error. */
  g_assert_no_error (done->error);
  r = done->value;
  g_assert_null (r->job_id);
  g_assert_cmpint (r->queued_count, ==, 0);
  g_assert_cmpstr (r->message, ==, "All songs already analyzed");

  g_assert_no_error (user->error);
  r = user->value;
  g_assert_nonnull (r->job_id);
  g_assert_cmpint (r->user_id, ==, 3);
  g_assert_cmpint (r->queued_count, >, 0);
}

static void
test_demo_job_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Outcome) start = run_call (f, CALL_START_SONG, 42, NULL);
  g_autoptr(Outcome) status = NULL;
  VigilJobRecord *record;

  g_assert_no_error (start->error);
  status = run_call (f, CALL_JOB_STATUS, 0, ((VigilStartResult *) start->value)->job_id);
  g_assert_no_error (status->error);
  record = status->value;
  g_assert_cmpstr (record->job_id, ==, ((VigilStartResult *) start->value)->job_id);
  g_assert_cmpint (record->kind, ==, VIGIL_JOB_KIND_SONG);
  g_assert_cmpint (record->priority, ==, VIGIL_PRIORITY_HIGH);
  g_assert_true (record->status == VIGIL_JOB_STATUS_PENDING ||
                 record->status == VIGIL_JOB_STATUS_IN_PROGRESS);
  g_assert_cmpint (record->target_id, ==, 42);
  g_assert_nonnull (record->song_title);
  g_assert_nonnull (record->created_at);
}

static void
test_demo_progress (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *job_id = running_job (f, VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(Outcome) o = run_call (f, CALL_PROGRESS, 0, job_id);
  g_autoptr(Outcome) status = run_call (f, CALL_JOB_STATUS, 0, job_id);
  VigilProgress *p;
  VigilJobRecord *record;

  g_assert_no_error (o->error);
  p = o->value;
  g_assert_cmpstr (p->job_id, ==, job_id);
  g_assert_cmpint (p->kind, ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (p->total_items, ==, 5);
  g_assert_cmpfloat (p->fraction, >=, 0.0);
  g_assert_cmpfloat (p->fraction, <, 1.0);
  g_assert_false (vigil_progress_is_terminal (p));
  g_assert_nonnull (p->start_time);

  g_assert_no_error (status->error);
  record = status->value;
  g_assert_cmpint (record->status, ==, VIGIL_JOB_STATUS_IN_PROGRESS);
  g_assert_cmpfloat (record->fraction, >=, 0.0);
  g_assert_cmpint (record->target_id, ==, 3);
}

static void
test_demo_old_shape (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *job_id = NULL;
  g_autoptr(Outcome) o = NULL;
  VigilProgress *p;

  g_object_set (f->demo, "old-shape", TRUE, "production-steps", TRUE, NULL);
  job_id = running_job (f, VIGIL_JOB_KIND_BACKGROUND, 2);
  o = run_call (f, CALL_PROGRESS, 0, job_id);
  g_assert_no_error (o->error);
  p = o->value;
  g_assert_cmpfloat (p->fraction, >=, 0.0);
  g_assert_nonnull (p->message);
  g_assert_false (p->has_metadata);
}

static void
test_demo_active (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *job_id = running_job (f, VIGIL_JOB_KIND_SONG, 9);
  g_autoptr(Outcome) o = run_call (f, CALL_ACTIVE, 0, NULL);
  GPtrArray *active;
  gboolean found = FALSE;

  g_assert_no_error (o->error);
  active = o->value;
  for (guint i = 0; i < active->len; i++)
    found |= g_strcmp0 (((VigilProgress *) g_ptr_array_index (active, i))->job_id, job_id) == 0;
  g_assert_true (found);
}

static void
test_demo_dashboard (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *job_id = running_job (f, VIGIL_JOB_KIND_PLAYLIST, 5);
  g_autoptr(Outcome) queue = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  g_autoptr(Outcome) worker = run_call (f, CALL_WORKER_HEALTH, 0, NULL);
  g_autoptr(Outcome) health = run_call (f, CALL_QUEUE_HEALTH, 0, NULL);
  g_autoptr(Outcome) cleanup = run_call (f, CALL_CLEANUP, 24, NULL);
  VigilQueueStatus *q;
  VigilWorkerHealth *w;

  g_assert_no_error (queue->error);
  q = queue->value;
  g_assert_cmpint (q->total_jobs, >=, 1);
  g_assert_cmpint (q->in_progress_jobs, ==, 1);
  g_assert_nonnull (q->active_job);
  g_assert_cmpstr (q->active_job->job_id, ==, job_id);

  g_assert_no_error (worker->error);
  w = worker->value;
  g_assert_cmpstr (w->status, ==, "running");
  g_assert_nonnull (w->current_job);
  g_assert_cmpstr (w->current_job->job_id, ==, job_id);

  g_assert_no_error (health->error);
  g_assert_true (((VigilQueueHealth *) health->value)->healthy);
  g_assert_cmpint (((VigilQueueHealth *) health->value)->in_progress_jobs, ==, 1);
  g_assert_cmpint (((VigilQueueHealth *) health->value)->total_jobs, ==, q->total_jobs);

  g_assert_no_error (cleanup->error);
  g_assert_nonnull (strstr (cleanup->value, "24"));
}

static void
test_demo_no_workers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Outcome) health = NULL;
  g_autoptr(Outcome) worker = NULL;

  g_object_set (f->demo, "workers", 0, NULL);
  health = run_call (f, CALL_QUEUE_HEALTH, 0, NULL);
  worker = run_call (f, CALL_WORKER_HEALTH, 0, NULL);

  /* 503 with a body: an answer, not an error. */
  g_assert_no_error (health->error);
  g_assert_false (((VigilQueueHealth *) health->value)->healthy);
  g_assert_no_error (worker->error);
  g_assert_cmpstr (((VigilWorkerHealth *) worker->value)->status, ==, "not_running");
}

static const struct
{
  const char *name;
  Call        call;
  gint64      id;
  const char *job_id;
  const char *text;
} unknown_cases[] = {
  { "song", CALL_START_SONG, 9999, NULL, "Song with ID 9999 not found or access denied" },
  { "playlist", CALL_START_PLAYLIST, 99, NULL, "Playlist with ID 99 not found" },
  { "playlist-all", CALL_START_PLAYLIST_ALL, 0, NULL, "Playlist with ID 0 not found" },
  { "user", CALL_START_USER, 11, NULL, "User with ID 11 not found" },
  { "progress", CALL_PROGRESS, 0, "no-such-job", "Job progress not found" },
  { "progress-escaped", CALL_PROGRESS, 0, "a b?c#d%", "Job progress not found" },
  { "status", CALL_JOB_STATUS, 0, "no-such-job", "Job with ID no-such-job not found" },
};

static void
test_demo_unknown (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (unknown_cases); i++)
    {
      g_autoptr(Outcome) o = run_call (f, unknown_cases[i].call, unknown_cases[i].id,
                                       unknown_cases[i].job_id);

      assert_error (unknown_cases[i].name, o, VIGIL_API_ERROR_NOT_FOUND, unknown_cases[i].text);
    }
}

/* A queued job has no progress record yet: 404, then ask for its status. */
static void
test_demo_queued_progress (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Outcome) start = NULL;
  g_autoptr(Outcome) progress = NULL;

  g_object_set (f->demo, "workers", 0, NULL);
  start = run_call (f, CALL_START_SONG, 5, NULL);
  g_assert_no_error (start->error);
  progress = run_call (f, CALL_PROGRESS, 0, ((VigilStartResult *) start->value)->job_id);
  assert_error ("queued", progress, VIGIL_API_ERROR_NOT_FOUND, "Job progress not found");
}

static void
test_demo_token (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Outcome) anonymous = NULL;
  g_autoptr(Outcome) bearer = NULL;
  g_autoptr(Outcome) cookie = NULL;
  g_autoptr(Outcome) admin = NULL;
  g_autoptr(Outcome) admin_ok = NULL;

  g_object_set (f->demo, "require-token", "user-token", "admin-token", "admin-token", NULL);
  anonymous = run_call (f, CALL_START_SONG, 1, NULL);
  assert_error ("anonymous", anonymous, VIGIL_API_ERROR_UNAUTHORIZED,
                "Not signed in: Authentication required");

  vigil_api_client_set_token (f->client, "user-token");
  bearer = run_call (f, CALL_START_SONG, 1, NULL);
  g_assert_no_error (bearer->error);

  admin = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  assert_error ("not-admin", admin, VIGIL_API_ERROR_FORBIDDEN, "Admin privileges required");

  vigil_api_client_set_token (f->client, NULL);
  vigil_api_client_set_cookie (f->client, "session=user-token");
  cookie = run_call (f, CALL_START_PLAYLIST, 1, NULL);
  g_assert_no_error (cookie->error);

  vigil_api_client_set_cookie (f->client, NULL);
  vigil_api_client_set_token (f->client, "admin-token");
  admin_ok = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
  g_assert_no_error (admin_ok->error);
}

static void
test_demo_signin_redirect (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Outcome) o = NULL;

  g_object_set (f->demo, "require-token", "user-token", "signin-redirect", TRUE, NULL);
  o = run_call (f, CALL_JOB_STATUS, 0, "some-job");
  assert_error ("signin", o, VIGIL_API_ERROR_UNAUTHORIZED, "Not signed in");
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->demo, "/login"), ==, 0);
}

static void
test_demo_error_rate (Fixture       *f,
                      gconstpointer  data)
{
  g_object_set (f->demo, "error-rate", 1.0, NULL);

  for (Call call = 0; call < N_CALLS; call++)
    {
      g_autoptr(Outcome) o = run_call (f, call, 1, "job");

      assert_error ("error-rate", o, VIGIL_API_ERROR_SERVER, "Server error (500): ");
    }

  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->demo), ==, N_CALLS);
  g_assert_cmpuint (vigil_api_client_get_request_count (f->client), ==, N_CALLS);
}

/* The bodies that hid 200 000 levels from the reader's old bracket count
 * (and overflowed json-glib's stack), through the client's whole answer
 * path: as a result (200) and as an error's message (500). */
static void
test_hidden_nesting (Fixture       *f,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (vigil_test_hostile); i++)
    {
      const VigilTestHostile *h = &vigil_test_hostile[i];
      g_autofree char *body = vigil_test_hostile_build (h, 200000);
      g_autoptr(Outcome) answer = NULL;
      g_autoptr(Outcome) failure = NULL;

      f->answer = (Answer) { 200, JSON, body };
      answer = run_call (f, CALL_PROGRESS, 0, "job-1");
      assert_error (h->name, answer, VIGIL_API_ERROR_PROTOCOL, NULL);

      f->answer = (Answer) { 500, JSON, body };
      failure = run_call (f, CALL_QUEUE_STATUS, 0, NULL);
      assert_error (h->name, failure, VIGIL_API_ERROR_SERVER, "Server error (500): Internal Server Error");
    }
}

/* ------------------------------------------------------------------ */
/* Retry-After, the header alone                                       */
/* ------------------------------------------------------------------ */

static void
test_retry_after_seconds (void)
{
  g_assert_cmpint (vigil_api_parse_retry_after ("120", NULL), ==, 120000);
  g_assert_cmpint (vigil_api_parse_retry_after (" 5 ", NULL), ==, 5000);
  g_assert_cmpint (vigil_api_parse_retry_after ("0", NULL), ==, 0);
  /* at most a day */
  g_assert_cmpint (vigil_api_parse_retry_after ("86400", NULL), ==, 86400000);
  g_assert_cmpint (vigil_api_parse_retry_after ("86401", NULL), ==, 86400000);
  g_assert_cmpint (vigil_api_parse_retry_after ("99999999999999999999999", NULL), ==, 86400000);
}

static void
test_retry_after_http_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 20, 0, 32);
  g_autoptr(GDateTime) almost = g_date_time_new_utc (2026, 11, 28, 20, 0, 1.9995);

  g_assert_cmpint (vigil_api_parse_retry_after ("Sat, 28 Nov 2026 20:01:02 GMT", now), ==, 30000);
  /* RFC 850 and asctime forms */
  g_assert_cmpint (vigil_api_parse_retry_after ("Saturday, 28-Nov-26 20:01:02 GMT", now), ==, 30000);
  g_assert_cmpint (vigil_api_parse_retry_after ("Sat Nov 28 20:01:02 2026", now), ==, 30000);
  /* the past: poll now */
  g_assert_cmpint (vigil_api_parse_retry_after ("Sat, 28 Nov 2026 20:00:02 GMT", now), ==, 0);
  g_assert_cmpint (vigil_api_parse_retry_after ("Sat, 28 Nov 2026 20:00:32 GMT", now), ==, 0);
  /* partial milliseconds round up */
  g_assert_cmpint (vigil_api_parse_retry_after ("Sat, 28 Nov 2026 20:00:02 GMT", almost), ==, 1);
  /* at most a day */
  g_assert_cmpint (vigil_api_parse_retry_after ("Sun, 29 Nov 2026 20:00:32 GMT", now), ==, 86400000);
  g_assert_cmpint (vigil_api_parse_retry_after ("Mon, 30 Nov 2026 20:00:32 GMT", now), ==, 86400000);
  /* without now, the current time */
  g_assert_cmpint (vigil_api_parse_retry_after ("Fri, 31 Dec 9998 23:59:59 GMT", NULL), ==, 86400000);
  g_assert_cmpint (vigil_api_parse_retry_after ("Thu, 01 Jan 1970 00:00:00 GMT", NULL), ==, 0);
}

static void
test_retry_after_garbage (void)
{
  const char *garbage[] = {
    NULL, "", "   ", "soon", "-5", "1.5", "+5", "5 minutes", "0x10",
    "2026-11-28T20:01:02Z", "Sat, 99 Nov 2026 20:01:02 GMT",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      gint64 ms = vigil_api_parse_retry_after (garbage[i], NULL);

      if (ms != -1)
        g_error ("'%s' gave %" G_GINT64_FORMAT ", expected -1", garbage[i], ms);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, setup, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)

  g_test_add_func ("/vigil/api-client/base-urls", test_base_urls);
  g_test_add_func ("/vigil/api-client/base-url-api-suffix", test_base_url_api_suffix);
  g_test_add_func ("/vigil/api-client/retry-after-seconds", test_retry_after_seconds);
  g_test_add_func ("/vigil/api-client/retry-after-http-date", test_retry_after_http_date);
  g_test_add_func ("/vigil/api-client/retry-after-garbage", test_retry_after_garbage);
  ADD ("/vigil/api-client/answers", setup_mock, test_answers);
  ADD ("/vigil/api-client/read-answer-offline", setup_mock, test_read_answer_offline);
  ADD ("/vigil/api-client/queue-health-unavailable", setup_mock, test_queue_health_unavailable);
  ADD ("/vigil/api-client/raw-values", setup_mock, test_raw_values);
  ADD ("/vigil/api-client/read-signals", setup_mock, test_read_signals);
  ADD ("/vigil/api-client/retry-after-date", setup_mock, test_retry_after_date);
  ADD ("/vigil/api-client/retry-after-on-success", setup_mock, test_retry_after_on_success);
  ADD ("/vigil/api-client/timeout", setup_mock, test_timeout);
  ADD ("/vigil/api-client/timeout-trickle", setup_mock, test_timeout_trickle);
  ADD ("/vigil/api-client/default-timeout", setup_mock, test_default_timeout);
  ADD ("/vigil/api-client/cancel", setup_mock, test_cancel);
  ADD ("/vigil/api-client/cancel-before", setup_mock, test_cancel_before);
  ADD ("/vigil/api-client/refused", setup_mock, test_refused);
  ADD ("/vigil/api-client/host-not-found", setup_mock, test_host_not_found);
  ADD ("/vigil/api-client/request-shape", setup_mock, test_request_shape);
  ADD ("/vigil/api-client/raw-path", setup_mock, test_raw_path);
  ADD ("/vigil/api-client/hangups", setup_mock, test_hangups);
  ADD ("/vigil/api-client/credentials", setup_mock, test_credentials);
  ADD ("/vigil/api-client/redirect-not-followed", setup_mock, test_redirect_not_followed);
  ADD ("/vigil/api-client/paths", setup_mock, test_paths);
  ADD ("/vigil/api-client/long-message", setup_mock, test_long_message);
  ADD ("/vigil/api-client/message-texts", setup_mock, test_message_texts);
  ADD ("/vigil/api-client/large-body", setup_mock, test_large_body);
  ADD ("/vigil/api-client/active-streamed", setup_mock, test_active_streamed);
  ADD ("/vigil/api-client/active-streamed-large", setup_mock, test_active_streamed_large);
  ADD ("/vigil/api-client/active-streamed-cancel", setup_mock, test_active_streamed_cancel);
  ADD ("/vigil/api-client/hidden-nesting", setup_mock, test_hidden_nesting);

  ADD ("/vigil/api-client/demo/start", setup_demo, test_demo_start);
  ADD ("/vigil/api-client/demo/job-status", setup_demo, test_demo_job_status);
  ADD ("/vigil/api-client/demo/progress", setup_demo, test_demo_progress);
  ADD ("/vigil/api-client/demo/old-shape", setup_demo, test_demo_old_shape);
  ADD ("/vigil/api-client/demo/active", setup_demo, test_demo_active);
  ADD ("/vigil/api-client/demo/dashboard", setup_demo, test_demo_dashboard);
  ADD ("/vigil/api-client/demo/no-workers", setup_demo, test_demo_no_workers);
  ADD ("/vigil/api-client/demo/unknown-ids", setup_demo, test_demo_unknown);
  ADD ("/vigil/api-client/demo/queued-progress", setup_demo, test_demo_queued_progress);
  ADD ("/vigil/api-client/demo/token", setup_demo, test_demo_token);
  ADD ("/vigil/api-client/demo/signin-redirect", setup_demo, test_demo_signin_redirect);
  ADD ("/vigil/api-client/demo/error-rate", setup_demo, test_demo_error_rate);

#undef ADD

  return g_test_run ();
}
