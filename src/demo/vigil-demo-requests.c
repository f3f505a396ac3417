/* vigil-demo-requests.c — a request's way through the demo server: found
 * a route, counted, its token checked, failed on purpose (error-rate),
 * handed to its handler, answered, held back (latency-ms)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-json-builder.h"

#include "vigil-demo-server-private.h"

#define UNMATCHED_PATTERN "(unmatched)"

typedef struct
{
  VigilDemoServer   *self;
  SoupServerMessage *msg;
  guint              source_id;
  gulong             finished_id;
} Delayed;

typedef enum
{
  ACCESS_OK,
  ACCESS_UNAUTHENTICATED,
  ACCESS_FORBIDDEN,
} Access;

/* ------------------------------------------------------------------ */
/* Counting                                                            */
/* ------------------------------------------------------------------ */

static gboolean
is_counted (const DemoRequest *req)
{
  return req->route == NULL || !(req->route->flags & ROUTE_DEMO);
}

static void
count_up (GHashTable *counters,
          const char *key)
{
  guint64 *count = g_hash_table_lookup (counters, key);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (counters, g_strdup (key), count);
    }

  (*count)++;
}

static void
count_request (DemoRequest *req)
{
  VigilDemoServer *self = req->self;

  if (!is_counted (req))
    return;

  self->total_requests++;
  count_up (self->pattern_counts, req->route != NULL ? req->route->pattern : UNMATCHED_PATTERN);
  if (req->route != NULL && (req->route->flags & ROUTE_JOB))
    count_up (self->job_counts, req->arg);
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

static void
respond (DemoRequest *req,
         guint        status,
         const char  *content_type,
         char        *body,
         gsize        length)
{
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, body, length);
  if (is_counted (req))
    req->self->response_bytes += length;
}

void
vigil_demo_respond_json (DemoRequest *req,
                         guint        status,
                         JsonBuilder *b)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  gsize length;
  char *body;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  respond (req, status, "application/json", body, length);
}

void
vigil_demo_respond_fields (DemoRequest *req,
                           guint        status,
                           gboolean     with_success,
                           ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *name;
  va_list args;

  json_builder_begin_object (b);
  if (with_success)
    vigil_json_add_bool (b, "success", FALSE);

  va_start (args, with_success);
  while ((name = va_arg (args, const char *)) != NULL)
    vigil_json_add_string (b, name, va_arg (args, const char *));
  va_end (args);

  json_builder_end_object (b);
  vigil_demo_respond_json (req, status, b);
}

void
vigil_demo_respond_html (DemoRequest *req,
                         guint        status,
                         const char  *page)
{
  respond (req, status, "text/html; charset=utf-8", g_strdup (page), strlen (page));
}

/* ------------------------------------------------------------------ */
/* Access: tokens                                                      */
/* ------------------------------------------------------------------ */

static const char redirect_page[] =
  "<!DOCTYPE html>\n"
  "<title>Redirecting...</title>\n"
  "<h1>Redirecting...</h1>\n"
  "<p>You should be redirected automatically to the target URL: "
  "<a href=\"/login\">/login</a>. If not, click the link.</p>\n";

static void
respond_redirect (DemoRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Location", "/login");
  vigil_demo_respond_html (req, SOUP_STATUS_FOUND, redirect_page);
}

/* "Authorization: Bearer <token>", else a "session=<token>" cookie */
static char *
request_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *cookie = soup_message_headers_get_list (headers, "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (authorization + 7));

  if (cookie == NULL)
    return NULL;

  cookies = soup_header_parse_semi_param_list (cookie);
  return g_strdup (g_hash_table_lookup (cookies, "session"));
}

static Access
route_access (VigilDemoServer *self,
              const DemoRoute *route,
              const char      *token)
{
  const char *admin = self->admin_token != NULL ? self->admin_token : self->require_token;
  gboolean is_user = token != NULL && g_strcmp0 (token, self->require_token) == 0;
  gboolean is_admin = token != NULL && g_strcmp0 (token, admin) == 0;

  if (route->flags & ROUTE_ADMIN)
    {
      if (admin == NULL || is_admin)
        return ACCESS_OK;
      return is_user ? ACCESS_FORBIDDEN : ACCESS_UNAUTHENTICATED;
    }

  if ((route->flags & ROUTE_USER) && self->require_token != NULL && !is_user && !is_admin)
    return ACCESS_UNAUTHENTICATED;

  return ACCESS_OK;
}

/* TRUE when the request may go on; otherwise it has been answered */
static gboolean
check_access (DemoRequest *req)
{
  g_autofree char *token = request_token (req->msg);

  switch (route_access (req->self, req->route, token))
    {
    case ACCESS_OK:
      return TRUE;

    case ACCESS_FORBIDDEN:
      vigil_demo_respond_fields (req, SOUP_STATUS_FORBIDDEN, FALSE,
                                 "error", "Admin privileges required", NULL);
      return FALSE;

    case ACCESS_UNAUTHENTICATED:
    default:
      if (req->self->signin_redirect && (req->route->flags & ROUTE_USER))
        respond_redirect (req);
      else
        vigil_demo_respond_fields (req, SOUP_STATUS_UNAUTHORIZED, FALSE,
                                   "error", "Authentication required", NULL);
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Faults: error-rate                                                  */
/* ------------------------------------------------------------------ */

/* error-rate: TRUE when the request has been answered with a 500 */
static gboolean
inject_fault (DemoRequest *req)
{
  VigilDemoServer *self = req->self;
  const char *error = "Internal server error";

  if (!(req->route->flags & ROUTE_API) || !(self->error_rate > 0) ||
      g_rand_double (self->fault_rand) >= self->error_rate)
    return FALSE;

  switch (req->route->fault)
    {
    case FAULT_START:
      vigil_demo_respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, TRUE, "status", "error",
                                 "error", error, "message", "Failed to queue the analysis", NULL);
      break;
    case FAULT_DASHBOARD:
      vigil_demo_respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, FALSE, "status", "error",
                                 "error", error, "message", "Failed to read the queue", NULL);
      break;
    case FAULT_PLAIN:
    default:
      vigil_demo_respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, TRUE,
                                 "error", error, NULL);
      break;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Latency: answers held back without blocking the main loop           */
/* ------------------------------------------------------------------ */

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_clear_handle_id (&delayed->source_id, g_source_remove);
  g_clear_signal_handler (&delayed->finished_id, delayed->msg);
  g_clear_object (&delayed->msg);
  g_free (delayed);
}

static gboolean
on_delay_elapsed (gpointer data)
{
  Delayed *delayed = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (delayed->msg);

  delayed->source_id = 0;
  /* forget it first: unpausing may finish the message synchronously */
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
on_delayed_finished (SoupServerMessage *msg,
                     gpointer           data)
{
  Delayed *delayed = data;

  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
}

static void
delay_response (VigilDemoServer   *self,
                SoupServerMessage *msg)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (on_delayed_finished), delayed);
  delayed->source_id = g_timeout_add (self->latency_ms, on_delay_elapsed, delayed);
  g_ptr_array_add (self->delayed, delayed);
  soup_server_message_pause (msg);
}

/* ------------------------------------------------------------------ */
/* A request's way                                                     */
/* ------------------------------------------------------------------ */

static gboolean
route_enabled (VigilDemoServer *self,
               const DemoRoute *route)
{
  return self->batch_route || !(route->flags & ROUTE_BATCH);
}

static void
respond_unrouted (DemoRequest *req,
                  gboolean     path_known)
{
  if (path_known)
    vigil_demo_respond_fields (req, SOUP_STATUS_METHOD_NOT_ALLOWED, FALSE,
                               "error", "Method not allowed", NULL);
  else
    vigil_demo_respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE, "error", "Not found", NULL);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  VigilDemoServer *self = user_data;
  g_autofree char *arg = NULL;
  gboolean path_known;
  DemoRequest req = { self, msg, NULL, NULL };

  vigil_demo_sim_advance (self);

  req.route = vigil_demo_routes_find (soup_server_message_get_method (msg), path,
                                      &arg, &path_known);
  req.arg = arg;
  count_request (&req);

  if (req.route == NULL)
    respond_unrouted (&req, path_known);
  else if (!route_enabled (self, req.route))
    vigil_demo_respond_fields (&req, SOUP_STATUS_NOT_FOUND, FALSE, "error", "Not found", NULL);
  else if (check_access (&req) && !inject_fault (&req))
    req.route->func (&req);

  if (self->latency_ms > 0)
    delay_response (self, msg);
}

void
vigil_demo_requests_init (VigilDemoServer *self)
{
  self->delayed = g_ptr_array_new_with_free_func (delayed_free);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
}
