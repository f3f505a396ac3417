/* vigil-api-request.c — one request's way: the message and its headers,
 * the caller's cancellable and the deadline, the body read in chunks up to
 * the endpoint's limit, and failures below HTTP. The answer, once whole,
 * goes through the answer path (vigil-api-answer.c) — except a successful
 * GET /api/progress read job by job (vigil_api_request_read_active()),
 * whose chunks go through the scanner of vigil-reader-active.h as they
 * come, each record to the caller at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "vigil-api-client-private.h"
#include "vigil-reader-active.h"

#define READ_CHUNK_SIZE      (64 * 1024)

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/* The task data of one request. */
typedef struct
{
  const ApiEndpointInfo *endpoint;
  const char            *method;
  char                  *path;
  char                  *server;         /* the base URL, for messages */
  char                  *url;            /* the URL requested, for messages */
  char                  *job_id;         /* the job asked about, or NULL */
  guint                  timeout;
  SoupMessage           *msg;
  GInputStream          *stream;
  GByteArray            *body;
  GBytes                *bytes;
  gint64                 retry_after_ms;
  gint64                 started_us;
  guint64                received;       /* body bytes read, kept or not */

  /* GET /api/progress read job by job (vigil_api_request_read_active()) */
  VigilApiClient        *client;         /* unowned: the task's source object */
  VigilApiProgressFunc   each;
  gpointer               each_data;
  VigilActiveScanner    *scanner;        /* a successful answer, read as it comes */

  /* Ours, cancelled by the caller's cancellable or by the deadline. */
  GCancellable          *cancellable;
  GCancellable          *caller_cancellable;
  gulong                 caller_handler;
  GSource               *deadline;
  gboolean               timed_out;
} Request;

static void
request_free (Request *req)
{
  if (req->caller_handler != 0)
    g_cancellable_disconnect (req->caller_cancellable, req->caller_handler);
  g_clear_object (&req->caller_cancellable);
  if (req->deadline != NULL)
    g_source_destroy (req->deadline);
  g_clear_pointer (&req->deadline, g_source_unref);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->bytes, g_bytes_unref);
  g_clear_pointer (&req->scanner, vigil_active_scanner_free);
  g_free (req->server);
  g_free (req->url);
  g_free (req->job_id);
  g_free (req->path);
  g_free (req);
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  Request *req = user_data;

  g_cancellable_cancel (req->cancellable);
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  g_clear_pointer (&req->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* The whole request, not just each read, must end within the timeout: a
 * server trickling bytes would otherwise hold it for ever. */
static void
request_start_deadline (Request *req)
{
  if (req->timeout == 0)
    return;

  req->deadline = g_timeout_source_new (req->timeout * 1000);
  g_source_set_callback (req->deadline, on_deadline, req, NULL);
  g_source_attach (req->deadline, g_main_context_get_thread_default ());
}

/* A header value must stay on one line. */
static void
append_secret_header (SoupMessageHeaders *headers,
                      const char         *name,
                      const char         *prefix,
                      const char         *value)
{
  g_autofree char *line = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      {
        g_debug ("Not sending the %s header: the value has control characters", name);
        return;
      }

  line = g_strconcat (prefix, value, NULL);
  soup_message_headers_replace (headers, name, line);
}

static SoupMessage *
build_message (VigilApiClient *self,
               Request        *req,
               GBytes         *json_body)
{
  g_autofree char *url = g_strconcat (self->base_url, req->path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  if (uri == NULL)
    return NULL;

  msg = soup_message_new_from_uri (req->method, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  append_secret_header (headers, "Authorization", "Bearer ", self->token);
  append_secret_header (headers, "Cookie", "", self->cookie);
  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", json_body);

  req->server = g_strdup (self->base_url);
  req->url = g_steal_pointer (&url);
  return msg;
}

static void on_sent (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

static GTask *
request_new (VigilApiClient      *self,
             const char          *method,
             char                *path,
             const char          *job_id,
             VigilApiEndpoint     endpoint,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_assert (VIGIL_IS_API_CLIENT (self));

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  req->endpoint = vigil_api_endpoint_info (endpoint);
  req->client = self;
  req->method = method;
  req->path = path;
  req->job_id = g_strdup (job_id);
  req->timeout = self->timeout;
  req->retry_after_ms = -1;
  req->started_us = g_get_monotonic_time ();
  req->cancellable = g_cancellable_new ();
  return task;
}

static void
request_start (GTask        *task,
               GBytes       *json_body,
               GCancellable *cancellable)
{
  Request *req = g_task_get_task_data (task);
  VigilApiClient *self = req->client;

  if ((req->msg = build_message (self, req, json_body)) == NULL)
    {
      g_task_return_new_error (task, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                               _("“%s” cannot be requested from this server"), req->path);
      g_object_unref (task);
      return;
    }

  if (cancellable != NULL)
    {
      req->caller_cancellable = g_object_ref (cancellable);
      req->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                   req, NULL);
    }

  self->request_count++;
  request_start_deadline (req);
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->cancellable,
                           on_sent, task);
}

void
vigil_api_request_send (VigilApiClient      *self,
                        const char          *method,
                        char                *path,
                        const char          *job_id,
                        GBytes              *json_body,
                        VigilApiEndpoint     endpoint,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data,
                        gpointer             source_tag)
{
  GTask *task = request_new (self, method, path, job_id, endpoint, cancellable, callback,
                             user_data, source_tag);

  request_start (task, json_body, cancellable);
}

void
vigil_api_request_read_active (VigilApiClient       *self,
                               VigilApiProgressFunc  func,
                               gpointer              func_data,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data,
                               gpointer              source_tag)
{
  GTask *task = request_new (self, "GET", g_strdup ("/api/progress"), NULL,
                             VIGIL_API_ENDPOINT_ACTIVE_PROGRESS, cancellable, callback,
                             user_data, source_tag);
  Request *req = g_task_get_task_data (task);

  req->each = func;
  req->each_data = func_data;
  request_start (task, NULL, cancellable);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void
set_timeout_error (Request  *req,
                   GError  **error)
{
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_TIMEOUT,
               g_dngettext (GETTEXT_PACKAGE,
                            "The server did not answer within %u second",
                            "The server did not answer within %u seconds",
                            req->timeout),
               req->timeout);
}

static const char *
describe_io_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return _("Host not found");

  if (error->domain != G_IO_ERROR)
    return error->message;

  switch (error->code)
    {
    case G_IO_ERROR_CONNECTION_REFUSED:
      return _("Connection refused");
    case G_IO_ERROR_CONNECTION_CLOSED:   /* also G_IO_ERROR_BROKEN_PIPE */
      return _("Connection reset");
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      return _("Network unreachable");
    case G_IO_ERROR_HOST_NOT_FOUND:
      return _("Host not found");
    default:
      return error->message;
    }
}

/* No connection was made at all (rather than one lost on the way). */
static gboolean
is_connect_error (const GError *error)
{
  return error->domain == G_RESOLVER_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED);
}

/* A failure below HTTP: the network, TLS, a timeout or a cancellation
 * (which stays G_IO_ERROR_CANCELLED). */
static void
set_transport_error (Request       *req,
                     const GError  *cause,
                     GError       **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !req->timed_out)
    g_propagate_error (error, g_error_copy (cause));
  else if (req->timed_out || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    set_timeout_error (req, error);
  else if (cause->domain == SOUP_SESSION_ERROR)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                 _("The server's answer could not be read: %s"), cause->message);
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK,
                 _("Could not connect securely to %s: %s"), req->server, cause->message);
  else if (is_connect_error (cause))
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK,
                 _("Could not connect to %s: %s"), req->server, describe_io_error (cause));
  else
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK,
                 _("The connection to %s was lost: %s"), req->server,
                 describe_io_error (cause));
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */
/* ------------------------------------------------------------------ */

static void
log_request (Request      *req,
             guint         status,
             const GError *error)
{
  gint64 ms = (g_get_monotonic_time () - req->started_us) / 1000;

  if (error != NULL)
    g_debug ("%s %s -> %u (%s) in %" G_GINT64_FORMAT " ms",
             req->method, req->path, status, error->message, ms);
  else
    g_debug ("%s %s -> %u in %" G_GINT64_FORMAT " ms", req->method, req->path, status, ms);
}

/* One record of GET /api/progress read job by job: announced, then to the
 * caller's func; none once the request is cancelled (the caller may be
 * gone). */
static gboolean
hand_over (VigilProgress *progress,
           gpointer       user_data)
{
  Request *req = user_data;

  if (!g_cancellable_is_cancelled (req->cancellable))
    {
      vigil_api_client_announce_progress (req->client, progress->job_id, progress);
      if (!g_cancellable_is_cancelled (req->cancellable))
        req->each (progress, req->each_data);
    }
  vigil_progress_free (progress);
  return !g_cancellable_is_cancelled (req->cancellable);
}

static void
return_result (GTask        *task,
               gpointer      result,
               GError       *error)
{
  Request *req = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (req->cancellable) && !req->timed_out && result != NULL)
    {
      /* A func cancelled the request while the answer was read. */
      if (req->each == NULL)
        req->endpoint->free_result (result);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
    }
  else if (req->each != NULL && result != NULL)
    g_task_return_boolean (task, TRUE);
  else if (result != NULL)
    g_task_return_pointer (task, result, req->endpoint->free_result);
  else
    g_task_return_error (task, error);
}

static void
complete_request (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  ApiAnswer answer = { req->endpoint, soup_message_get_status (req->msg),
                       soup_message_get_reason_phrase (req->msg),
                       soup_message_get_response_headers (req->msg), NULL, req->retry_after_ms,
                       req->url, req->each != NULL ? hand_over : NULL, req };
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (req->scanner != NULL && vigil_active_scanner_is_streaming (req->scanner))
    {
      /* Its records are out already: only the end is left to check. */
      result = vigil_active_scanner_finish (req->scanner, &error) ? GINT_TO_POINTER (TRUE) : NULL;
      log_request (req, answer.status, error);
      return_result (task, result, g_steal_pointer (&error));
      return;
    }

  /* Not the usual shape: the scanner kept every byte, read as a whole. */
  if (req->scanner != NULL)
    req->bytes = vigil_active_scanner_steal_kept (req->scanner);
  else
    req->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));
  answer.body = req->bytes;
  result = vigil_api_answer_process (&answer, &error);
  log_request (req, answer.status, error);

  if (result != NULL && req->each == NULL && req->endpoint->announce != NULL)
    req->endpoint->announce (g_task_get_source_object (task), req->job_id, result);

  return_result (task, result, g_steal_pointer (&error));
}

/* Stop the transfer: with our cancellable cancelled, closing the stream
 * drops the connection instead of reading the rest of the body. */
static void
abandon_stream (Request *req)
{
  g_cancellable_cancel (req->cancellable);
  if (req->stream != NULL && !g_input_stream_is_closed (req->stream))
    g_input_stream_close (req->stream, req->cancellable, NULL);
}

static void
fail_request (GTask  *task,
              GError *error)
{
  Request *req = g_task_get_task_data (task);

  log_request (req, soup_message_get_status (req->msg), error);
  abandon_stream (req);
  g_task_return_error (task, error);
}

static void
fail_transport (GTask        *task,
                const GError *cause)
{
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;

  set_transport_error (req, cause, &error);
  fail_request (task, error);
}

static void
fail_too_large (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;

  vigil_api_set_too_large_error (req->endpoint, &error);
  fail_request (task, error);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void on_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_next_chunk (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->cancellable, on_read, task);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The whole body is in; a failure to close changes nothing in it. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_debug ("Closing an answer's stream: %s", error->message);

  complete_request (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source),
                                                              result, &error);

  if (chunk != NULL)
    req->received += g_bytes_get_size (chunk);

  if (chunk == NULL)
    fail_transport (task, error);
  else if (g_bytes_get_size (chunk) == 0)
    g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, req->cancellable,
                                on_closed, g_steal_pointer (&task));
  else if (req->received > vigil_api_endpoint_max_body (req->endpoint))
    fail_too_large (task);
  else if (req->scanner != NULL)
    {
      /* Each job's record goes to the caller as soon as it is read; the
       * caller may cancel the request from there. */
      if (!vigil_active_scanner_feed (req->scanner, g_bytes_get_data (chunk, NULL),
                                      g_bytes_get_size (chunk)) &&
          g_cancellable_is_cancelled (req->cancellable))
        {
          g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                             "Cancelled");

          fail_transport (task, cancelled);
        }
      else
        read_next_chunk (g_steal_pointer (&task));
    }
  else
    {
      g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      read_next_chunk (g_steal_pointer (&task));
    }
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      fail_transport (task, error);
      return;
    }

  req->retry_after_ms = vigil_api_retry_after_of (soup_message_get_response_headers (req->msg));
  if (vigil_api_announces_too_large (soup_message_get_response_headers (req->msg), req->endpoint))
    {
      fail_too_large (task);
      return;
    }

  /* GET /api/progress for a caller that takes its records one by one: a
   * successful answer is read as it comes, never held whole (error
   * statuses and sign-in pages are small, and read whole as before). */
  if (req->each != NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (req->msg)) &&
      !vigil_api_headers_say_html (soup_message_get_response_headers (req->msg)))
    {
      req->scanner = vigil_active_scanner_new (hand_over, req);
      read_next_chunk (g_steal_pointer (&task));
      return;
    }

  /* A body of announced length is read into one buffer of that size: a
   * growing one would hold up to twice a 6 MB batch answer while it doubles. */
  {
    SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
    goffset length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                     ? soup_message_headers_get_content_length (headers) : 0;

    req->body = length > 0 && (guint64) length <= vigil_api_endpoint_max_body (req->endpoint)
                ? g_byte_array_sized_new ((guint) length) : g_byte_array_new ();
  }
  read_next_chunk (g_steal_pointer (&task));
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

gint64
vigil_api_result_get_retry_after_ms (GAsyncResult *result)
{
  Request *req;

  g_return_val_if_fail (G_IS_TASK (result), -1);
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (g_task_get_source_object (G_TASK (result))), -1);

  req = g_task_get_task_data (G_TASK (result));
  return req != NULL ? req->retry_after_ms : -1;
}

guint64
vigil_api_result_get_bytes_received (GAsyncResult *result)
{
  Request *req;

  g_return_val_if_fail (G_IS_TASK (result), 0);
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (g_task_get_source_object (G_TASK (result))), 0);

  req = g_task_get_task_data (G_TASK (result));
  return req != NULL ? req->received : 0;
}
