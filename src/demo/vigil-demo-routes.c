/* vigil-demo-routes.c — the demo server's routes: the table (method,
 * pattern, who may call, the shape of a 500) and one handler each, which
 * reads the request, changes the simulation and answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-json-builder.h"

#include "vigil-demo-server-private.h"

/* ------------------------------------------------------------------ */
/* Starting jobs                                                       */
/* ------------------------------------------------------------------ */

/* Closes the object a vigil_demo_json_begin_*() began, and sends it: 200 */
static void
respond_ok (DemoRequest *req,
            JsonBuilder *b)
{
  json_builder_end_object (b);
  vigil_demo_respond_json (req, SOUP_STATUS_OK, b);
}

/* {id} as a positive integer (the core's one id parser), else -1 */
static gint64
parse_id (const char *text)
{
  gint64 value = -1;

  return vigil_parse_positive_id (text, &value, NULL) ? value : -1;
}

/* 404 for a target the catalog does not have, in each route family's shape */
static void
respond_unknown_target (DemoRequest  *req,
                        VigilJobKind  kind)
{
  g_autofree char *message = NULL;

  switch (kind)
    {
    case VIGIL_JOB_KIND_SONG:
      message = g_strdup_printf ("Song with ID %s not found or access denied", req->arg);
      vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE,
                                 "status", "error", "message", message, NULL);
      break;
    case VIGIL_JOB_KIND_PLAYLIST:
      message = g_strdup_printf ("Playlist with ID %s not found or access denied", req->arg);
      vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE, "message", message, NULL);
      break;
    case VIGIL_JOB_KIND_BACKGROUND:
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      message = g_strdup_printf ("User with ID %s not found", req->arg);
      vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE, "error", message, NULL);
      break;
    }
}

static void
handle_song_analyze (DemoRequest *req)
{
  gint64 song_id = parse_id (req->arg);
  g_autoptr(GArray) songs = vigil_demo_catalog_target_songs (VIGIL_JOB_KIND_SONG, song_id);
  g_autoptr(JsonBuilder) b = NULL;
  DemoJob *job;

  if (songs == NULL)
    {
      respond_unknown_target (req, VIGIL_JOB_KIND_SONG);
      return;
    }

  job = vigil_demo_sim_enqueue (req->self, VIGIL_JOB_KIND_SONG, song_id, songs, 0, 0);

  b = vigil_demo_json_begin_success (TRUE);
  vigil_json_add_string (b, "message", "Song queued for analysis");
  vigil_json_add_int (b, "song_id", song_id);
  vigil_json_add_string (b, "job_id", job->id);
  respond_ok (req, b);
}

static void
respond_queued (DemoRequest   *req,
                const DemoJob *job)
{
  guint count = job->items->len;
  g_autoptr(JsonBuilder) b = vigil_demo_json_begin_success (TRUE);

  vigil_json_take_string (b, "message", g_strdup_printf ("Queued %u %s for analysis",
                                                         count, count == 1 ? "song" : "songs"));
  vigil_json_add_int (b, "queued_count", count);
  vigil_json_add_string (b, "job_id", job->id);
  respond_ok (req, b);
}

static void
respond_nothing_queued (DemoRequest *req)
{
  g_autoptr(JsonBuilder) b = vigil_demo_json_begin_success (FALSE);

  vigil_json_add_int (b, "queued_count", 0);
  vigil_json_add_string (b, "message", "All songs already analyzed");
  respond_ok (req, b);
}

static void
handle_playlist (DemoRequest *req,
                 gboolean     reanalyze)
{
  gint64 playlist_id = parse_id (req->arg);
  g_autoptr(GArray) all = vigil_demo_catalog_target_songs (VIGIL_JOB_KIND_PLAYLIST,
                                                           playlist_id);
  g_autoptr(GArray) songs = NULL;
  DemoJob *job;

  if (all == NULL)
    {
      respond_unknown_target (req, VIGIL_JOB_KIND_PLAYLIST);
      return;
    }

  songs = reanalyze ? g_array_ref (all)
                    : vigil_demo_catalog_filter_unanalyzed (req->self->analyzed, all);
  if (songs->len == 0)
    {
      respond_nothing_queued (req);
      return;
    }

  job = vigil_demo_sim_enqueue (req->self, VIGIL_JOB_KIND_PLAYLIST, playlist_id, songs, 0, 0);
  job->reanalyze = reanalyze;
  respond_queued (req, job);
}

static void
handle_playlist_unanalyzed (DemoRequest *req)
{
  handle_playlist (req, FALSE);
}

static void
handle_playlist_all (DemoRequest *req)
{
  handle_playlist (req, TRUE);
}

static void
handle_reanalyze_user (DemoRequest *req)
{
  gint64 user_id = parse_id (req->arg);
  g_autoptr(GArray) songs = vigil_demo_catalog_target_songs (VIGIL_JOB_KIND_BACKGROUND, user_id);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *message = NULL;
  g_autofree char *username = NULL;
  DemoJob *job;

  if (songs == NULL)
    {
      respond_unknown_target (req, VIGIL_JOB_KIND_BACKGROUND);
      return;
    }

  job = vigil_demo_sim_enqueue (req->self, VIGIL_JOB_KIND_BACKGROUND, user_id, songs, 0, 0);
  username = vigil_demo_catalog_target_name (VIGIL_JOB_KIND_BACKGROUND, user_id);
  message = g_strdup_printf ("Queued background analysis of %u songs for %s",
                             songs->len, username);

  b = vigil_demo_json_begin_success (FALSE);
  vigil_json_add_string (b, "message", message);
  vigil_json_add_int (b, "queued_count", songs->len);
  vigil_json_add_int (b, "user_id", user_id);
  vigil_json_add_string (b, "job_id", job->id);
  respond_ok (req, b);
}

/* ------------------------------------------------------------------ */
/* Watching jobs                                                       */
/* ------------------------------------------------------------------ */

static void
handle_progress (DemoRequest *req)
{
  DemoJob *job = vigil_demo_sim_lookup (req->self, req->arg);
  g_autoptr(JsonBuilder) b = NULL;

  if (job == NULL || !vigil_demo_job_has_progress (job))
    {
      vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE,
                                 "error", "Job progress not found", NULL);
      return;
    }

  b = vigil_demo_json_begin_success (FALSE);
  json_builder_set_member_name (b, "progress");
  vigil_demo_json_progress (req->self, job, b);
  respond_ok (req, b);
}

static void
handle_job_status (DemoRequest *req)
{
  DemoJob *job = vigil_demo_sim_lookup (req->self, req->arg);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *message = NULL;

  if (job == NULL)
    {
      message = g_strdup_printf ("Job with ID %s not found", req->arg);
      vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE,
                                 "status", "error", "message", message, NULL);
      return;
    }

  b = vigil_demo_json_begin_status_success ();
  json_builder_set_member_name (b, "job");
  vigil_demo_json_job_record (req->self, job, b);
  respond_ok (req, b);
}

/* Behind a load balancer each answer comes from one web process, which
 * holds the progress of the jobs it started: a job belongs to the process
 * its id hashes to, and each answer picks a process at random. */
static gboolean
listed_by_process (VigilDemoServer *self,
                   const DemoJob   *job,
                   guint            process)
{
  return self->web_processes <= 1 || g_str_hash (job->id) % self->web_processes == process;
}

static void
handle_progress_all (DemoRequest *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(JsonBuilder) b = vigil_demo_json_begin_success (FALSE);
  guint process = self->web_processes > 1
                  ? (guint) g_rand_int_range (self->fault_rand, 0, (gint32) self->web_processes)
                  : 0;
  guint active = 0;

  json_builder_set_member_name (b, "active_jobs");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->running->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->running, i);

      if (self->batch_empty || !vigil_demo_job_has_progress (job) ||
          !listed_by_process (self, job, process))
        continue;

      json_builder_set_member_name (b, job->id);
      vigil_demo_json_progress (self, job, b);
      active++;
    }
  json_builder_end_object (b);
  vigil_json_add_int (b, "total_active", active);
  respond_ok (req, b);
}

/* The optional body {"max_age_hours": N}; FALSE when it is unusable */
static gboolean
request_body_empty (DemoRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);

  return body == NULL || body->length == 0;
}

static gboolean
read_max_age (DemoRequest *req,
              double      *hours)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root, *value;

  *hours = 24.0;
  if (size == 0)
    return TRUE;

  if (!json_parser_load_from_data (parser, data, size, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  value = json_object_get_member (json_node_get_object (root), "max_age_hours");
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (json_node_get_value_type (value) != G_TYPE_INT64 &&
      json_node_get_value_type (value) != G_TYPE_DOUBLE)
    return FALSE;

  *hours = json_node_get_double (value);
  return isfinite (*hours) && *hours >= 0;
}

static void
handle_cleanup (DemoRequest *req)
{
  g_autoptr(JsonBuilder) b = NULL;
  char hours_text[G_ASCII_DTOSTR_BUF_SIZE];
  guint cleaned;
  double hours;

  /* The live route reads request.json unconditionally: no body, a 500. */
  if (req->self->production_quirks && request_body_empty (req))
    {
      vigil_demo_respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, TRUE,
                                 "error", "Internal server error", NULL);
      return;
    }
  if (!read_max_age (req, &hours))
    {
      vigil_demo_respond_fields (req, SOUP_STATUS_BAD_REQUEST, TRUE,
                                 "error", "max_age_hours must be a non-negative number", NULL);
      return;
    }

  cleaned = vigil_demo_sim_drop_progress (req->self, hours * 3600.0);

  g_ascii_formatd (hours_text, sizeof hours_text, "%g", hours);
  b = vigil_demo_json_begin_success (FALSE);
  vigil_json_take_string (b, "message",
                          g_strdup_printf ("Cleaned up jobs older than %s hours", hours_text));
  vigil_json_add_int (b, "cleaned_count", cleaned);
  respond_ok (req, b);
}

/* ------------------------------------------------------------------ */
/* The admin dashboard                                                 */
/* ------------------------------------------------------------------ */

/* {"status": "success", name: what write writes} */
static void
respond_status_success (DemoRequest *req,
                        const char  *name,
                        void       (*write) (VigilDemoServer *self,
                                             JsonBuilder     *b))
{
  g_autoptr(JsonBuilder) b = vigil_demo_json_begin_status_success ();

  json_builder_set_member_name (b, name);
  write (req->self, b);
  respond_ok (req, b);
}

static void
handle_queue_status (DemoRequest *req)
{
  respond_status_success (req, "queue", vigil_demo_json_queue);
}

static void
handle_worker_health (DemoRequest *req)
{
  respond_status_success (req, "worker", vigil_demo_json_worker);
}

/* 200 when healthy, else 503 with the same body */
static void
handle_queue_health (DemoRequest *req)
{
  gboolean healthy = req->self->workers > 0;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  vigil_json_add_string (b, "status", healthy ? "success" : "error");
  json_builder_set_member_name (b, "queue_health");
  vigil_demo_json_queue_health (req->self, b);
  json_builder_end_object (b);
  vigil_demo_respond_json (req, healthy ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, b);
}

/* ------------------------------------------------------------------ */
/* The demo's own pages                                                */
/* ------------------------------------------------------------------ */

static void
handle_stats (DemoRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  vigil_demo_json_stats (req->self, b);
  vigil_demo_respond_json (req, SOUP_STATUS_OK, b);
}

static const char login_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n"
  "<head><meta charset=\"utf-8\"><title>Sign in · Song Analysis</title></head>\n"
  "<body>\n"
  "<h1>Sign in</h1>\n"
  "<form method=\"post\" action=\"/login\">\n"
  "<p><label>Username <input name=\"username\" autocomplete=\"username\"></label></p>\n"
  "<p><label>Password <input name=\"password\" type=\"password\"></label></p>\n"
  "<p><button type=\"submit\">Sign in</button></p>\n"
  "</form>\n"
  "</body>\n"
  "</html>\n";

static const char login_failed_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n"
  "<head><meta charset=\"utf-8\"><title>Sign in · Song Analysis</title></head>\n"
  "<body><h1>Sign in</h1><p>Wrong username or password.</p></body>\n"
  "</html>\n";

static void
handle_login (DemoRequest *req)
{
  vigil_demo_respond_html (req, SOUP_STATUS_OK, login_page);
}

/* The form's fields, from an application/x-www-form-urlencoded body */
static GHashTable *
read_form (DemoRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

/* A right password sets the session cookie, as the real service's OAuth
 * callback does, and sends the browser home. */
static void
handle_login_post (DemoRequest *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(GHashTable) form = read_form (req);
  const char *user = g_hash_table_lookup (form, "username");
  const char *password = g_hash_table_lookup (form, "password");
  const char *token = self->require_token;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *cookie = NULL;

  if (g_strcmp0 (user, "admin") == 0 && self->admin_token != NULL)
    token = self->admin_token;

  if (user == NULL || *user == '\0' || g_strcmp0 (password, self->signin_password) != 0)
    {
      vigil_demo_respond_html (req, SOUP_STATUS_UNAUTHORIZED, login_failed_page);
      return;
    }

  cookie = g_strdup_printf ("session=%s; Path=/; HttpOnly; SameSite=Lax",
                            token != NULL ? token : "demo-session");
  soup_message_headers_append (headers, "Set-Cookie", cookie);
  soup_message_headers_replace (headers, "Location", "/");
  vigil_demo_respond_html (req, SOUP_STATUS_FOUND, "<!DOCTYPE html>\n<p>Signed in.</p>\n");
}

static const char home_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n"
  "<head><meta charset=\"utf-8\"><title>Song Analysis</title></head>\n"
  "<body><h1>Song Analysis</h1><p>Vigil demo server.</p></body>\n"
  "</html>\n";

static void
handle_home (DemoRequest *req)
{
  vigil_demo_respond_html (req, SOUP_STATUS_OK, home_page);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

/* Literal routes first: "/api/progress/cleanup" also fits "/api/progress/{id}" */
static const DemoRoute routes[] = {
  { "POST", "/api/songs/{id}/analyze", ROUTE_USER | ROUTE_API, FAULT_START, handle_song_analyze },
  { "POST", "/api/playlists/{id}/analyze-unanalyzed", ROUTE_USER | ROUTE_API, FAULT_START,
    handle_playlist_unanalyzed },
  { "POST", "/api/playlists/{id}/reanalyze-all", ROUTE_USER | ROUTE_API, FAULT_START,
    handle_playlist_all },
  { "POST", "/api/admin/reanalyze-user/{id}", ROUTE_ADMIN | ROUTE_API, FAULT_START,
    handle_reanalyze_user },
  { "POST", "/api/progress/cleanup", ROUTE_ADMIN | ROUTE_API, FAULT_PLAIN, handle_cleanup },
  { "GET", "/api/progress", ROUTE_USER | ROUTE_API | ROUTE_BATCH, FAULT_PLAIN, handle_progress_all },
  { "GET", "/api/progress/{id}", ROUTE_USER | ROUTE_API | ROUTE_JOB, FAULT_PLAIN, handle_progress },
  { "GET", "/api/jobs/{id}/status", ROUTE_USER | ROUTE_API | ROUTE_JOB, FAULT_PLAIN,
    handle_job_status },
  { "GET", "/api/queue/status", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_queue_status },
  { "GET", "/api/worker/health", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_worker_health },
  { "GET", "/api/queue/health", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_queue_health },
  { "GET", "/_demo/stats", ROUTE_DEMO, FAULT_PLAIN, handle_stats },
  { "GET", "/login", 0, FAULT_PLAIN, handle_login },
  { "POST", "/login", 0, FAULT_PLAIN, handle_login_post },
  { "GET", "/auth/login", 0, FAULT_PLAIN, handle_login },
  { "POST", "/auth/login", 0, FAULT_PLAIN, handle_login_post },
  { "GET", "/", 0, FAULT_PLAIN, handle_home },
};

/* Pattern segments equal the path's, "{id}" matching any non-empty one */
static gboolean
path_matches (const char  *pattern,
              const char  *path,
              char       **arg)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  const char *captured = NULL;

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;

  for (guint i = 0; want[i] != NULL; i++)
    {
      if (strcmp (want[i], "{id}") == 0 && have[i][0] != '\0')
        captured = have[i];
      else if (strcmp (want[i], have[i]) != 0)
        return FALSE;
    }

  *arg = g_strdup (captured);
  return TRUE;
}

const DemoRoute *
vigil_demo_routes_find (const char  *method,
                        const char  *path,
                        char       **arg,
                        gboolean    *path_known)
{
  *path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *captured = NULL;

      if (!path_matches (routes[i].pattern, path, &captured))
        continue;

      *path_known = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        {
          *arg = g_steal_pointer (&captured);
          return &routes[i];
        }
    }

  return NULL;
}
