/* vigil-api-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "vigil-reader.h"

#include "vigil-api-client.h"
#include "vigil-api-client-private.h"

#define DEFAULT_TIMEOUT      15
#define READ_CHUNK_SIZE      (64 * 1024)
#define MAX_RETRY_AFTER_S    (24 * 60 * 60)
#define MAX_MESSAGE_CHARS    200
#define STATUS_TOO_MANY_REQUESTS 429   /* not in libsoup 3.2's SoupStatus */

struct _VigilApiClient
{
  GObject      parent_instance;

  char        *base_url;
  guint        timeout;
  char        *user_agent;
  char        *token;
  char        *cookie;

  SoupSession *session;
  guint64      request_count;
};

enum {
  SIGNAL_PROGRESS_READ,
  SIGNAL_JOB_RECORD_READ,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  PROP_USER_AGENT,
  PROP_TOKEN,
  PROP_COOKIE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void vigil_api_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VigilApiClient, vigil_api_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      vigil_api_client_initable_iface_init))

G_DEFINE_QUARK (vigil-api-error-quark, vigil_api_error)

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/* How one endpoint's answer becomes its result. */
typedef gpointer (*ReadFunc) (JsonNode  *root,
                              guint      http_status,
                              GError   **error);

typedef struct _Request Request;

/* Tells listeners about what was read (see the read signals). */
typedef void (*AnnounceFunc) (VigilApiClient *self,
                              Request        *req,
                              gpointer        result);

typedef struct
{
  ReadFunc        read;
  GDestroyNotify  free_result;
  gboolean        unavailable_is_answer;  /* a 503 with a JSON body is a result */
  gsize           max_body;               /* 0: VIGIL_API_MAX_BODY_SIZE */
  AnnounceFunc    announce;               /* nullable */
} Endpoint;

/* A complete answer, whatever brought it: a request, or a caller of
 * vigil_api_read_answer(). */
typedef struct
{
  const Endpoint     *endpoint;
  guint               status;
  const char         *reason;          /* the reason phrase, nullable */
  SoupMessageHeaders *headers;
  GBytes             *body;
  gint64              retry_after_ms;
  const char         *url;             /* the address asked, for messages */
} Answer;

/* The task data of one request. */
struct _Request
{
  const Endpoint *endpoint;
  const char     *method;
  char           *path;
  char           *server;           /* the base URL, for messages */
  char           *url;              /* the URL requested, for messages */
  char           *job_id;           /* the job asked about, or NULL */
  guint           timeout;
  SoupMessage    *msg;
  GInputStream   *stream;
  GByteArray     *body;
  GBytes         *bytes;
  gint64          retry_after_ms;
  gint64          started_us;

  /* Ours, cancelled by the caller's cancellable or by the deadline. */
  GCancellable   *cancellable;
  GCancellable   *caller_cancellable;
  gulong          caller_handler;
  GSource        *deadline;
  gboolean        timed_out;
};

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

static void
send_request (VigilApiClient      *self,
              const char          *method,
              char                *path,
              const char          *job_id,
              GBytes              *json_body,
              const Endpoint      *endpoint,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_assert (VIGIL_IS_API_CLIENT (self));

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  req->endpoint = endpoint;
  req->method = method;
  req->path = path;
  req->job_id = g_strdup (job_id);
  req->timeout = self->timeout;
  req->retry_after_ms = -1;
  req->started_us = g_get_monotonic_time ();
  req->cancellable = g_cancellable_new ();

  if ((req->msg = build_message (self, req, json_body)) == NULL)
    {
      g_task_return_new_error (task, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                               _("“%s” cannot be requested from this server"), path);
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
                           on_sent, g_steal_pointer (&task));
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

static gsize
max_body (const Endpoint *endpoint)
{
  return endpoint->max_body ? endpoint->max_body : VIGIL_API_MAX_BODY_SIZE;
}

static void
set_too_large_error (const Endpoint  *endpoint,
                     GError         **error)
{
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
               _("The server's answer is larger than %d MiB"),
               (int) (max_body (endpoint) / (1024 * 1024)));
}

/* A server's text for an error message: valid UTF-8 on one line, control
 * characters (terminal escapes too) as spaces, shortened for display. */
static char *
display_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint n = 0; *p != '\0' && n < MAX_MESSAGE_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* The "message" (else "error") of an error body, for display. */
static char *
server_message (const Answer *answer)
{
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (answer->body, NULL);
  g_autofree char *text = vigil_reader_parse_error_message (root);

  return text != NULL ? display_text (text) : NULL;
}

/* The reason phrase (any bytes a server sent), for display. */
static char *
reason_of (const Answer *answer)
{
  if (answer->reason != NULL && answer->reason[0] != '\0')
    return display_text (answer->reason);

  return g_strdup (soup_status_get_phrase (answer->status));
}

static void
set_unavailable_error (const Answer  *answer,
                       GError       **error)
{
  /* At most a day: see parse_retry_after(). */
  guint seconds = (guint) ((answer->retry_after_ms + 999) / 1000);

  if (answer->status == STATUS_TOO_MANY_REQUESTS && answer->retry_after_ms < 0)
    g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_RATE_LIMITED,
                         _("Too many requests: the server asks to slow down"));
  else
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_RATE_LIMITED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The server is busy: try again in %u second",
                              "The server is busy: try again in %u seconds",
                              seconds),
                 seconds);
}

/* "Not found" says nothing that the status did not: the URL says more. */
static gboolean
is_generic_not_found (const char *message)
{
  g_autofree char *text = g_strstrip (g_strdup (message));
  gsize len = strlen (text);

  if (len > 0 && text[len - 1] == '.')
    text[len - 1] = '\0';
  return g_ascii_strcasecmp (text, "not found") == 0 ||
         g_ascii_strcasecmp (text, "404 not found") == 0;
}

/* An HTTP status that is not a success. */
static void
set_status_error (const Answer  *answer,
                  GError       **error)
{
  guint status = answer->status;
  g_autofree char *message = server_message (answer);
  g_autofree char *reason = reason_of (answer);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED, _("Not signed in: %s"),
                 message != NULL ? message : _("the server requires authentication"));
  else if (status == SOUP_STATUS_FORBIDDEN)
    g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN,
                         message != NULL ? message : _("Admin privileges required"));
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      if (message != NULL && !is_generic_not_found (message))
        g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND, message);
      else if (answer->url != NULL)
        g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND,
                     _("The server does not know the address %s"), answer->url);
      else
        g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND,
                             _("The server does not know this address"));
    }
  else if (status == STATUS_TOO_MANY_REQUESTS ||
           (status == SOUP_STATUS_SERVICE_UNAVAILABLE && answer->retry_after_ms >= 0))
    set_unavailable_error (answer, error);
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER, _("Server error (%u): %s"),
                 status, message != NULL ? message : reason);
  else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                 _("The server refused the request (%u): %s"),
                 status, message != NULL ? message : reason);
  else
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                 _("The server gave an unexpected answer (%u)"), status);
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */
/* ------------------------------------------------------------------ */

/* A sign-in page reached through a proxy or a followed redirect. */
static gboolean
looks_like_html (const Answer *answer)
{
  const char *type = soup_message_headers_get_content_type (answer->headers, NULL);
  gsize len = 0;
  const char *text = g_bytes_get_data (answer->body, &len);
  gsize i = 0;

  if (type != NULL &&
      (g_ascii_strcasecmp (type, "text/html") == 0 ||
       g_ascii_strcasecmp (type, "application/xhtml+xml") == 0))
    return TRUE;

  while (i < len && g_ascii_isspace (text[i]))
    i++;

  return i < len && text[i] == '<';
}

static gpointer
read_answer (const Answer  *answer,
             GError       **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (looks_like_html (answer))
    {
      g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                           _("Not signed in: the server answered with a sign-in page"));
      return NULL;
    }

  if ((root = vigil_reader_parse_bytes (answer->body, error)) == NULL)
    return NULL;

  return answer->endpoint->read (root, answer->status, error);
}

static gpointer
process_answer (const Answer  *answer,
                GError       **error)
{
  guint status = answer->status;
  gpointer result;

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                           _("Not signed in: the server redirected to a sign-in page"));
      return NULL;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return read_answer (answer, error);

  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE && answer->endpoint->unavailable_is_answer &&
      (result = read_answer (answer, NULL)) != NULL)
    return result;

  set_status_error (answer, error);
  return NULL;
}

/* Delta seconds or an HTTP date; capped at a day. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  g_autofree char *text = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (text == NULL || g_strstrip (text)[0] == '\0')
    return -1;

  if (strspn (text, "0123456789") == strlen (text))
    {
      if (!g_ascii_string_to_unsigned (text, 10, 0, MAX_RETRY_AFTER_S, &seconds, NULL))
        seconds = MAX_RETRY_AFTER_S;   /* only "out of bounds" is possible here */
      return (gint64) seconds * 1000;
    }

  if ((date = soup_date_time_new_from_http_string (text)) == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  return CLAMP (g_date_time_difference (date, now) / 1000, 0, (gint64) MAX_RETRY_AFTER_S * 1000);
}

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

static void
complete_request (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  Answer answer = { req->endpoint, soup_message_get_status (req->msg),
                    soup_message_get_reason_phrase (req->msg),
                    soup_message_get_response_headers (req->msg), NULL, req->retry_after_ms,
                    req->url };
  g_autoptr(GError) error = NULL;
  gpointer result;

  req->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));
  answer.body = req->bytes;
  result = process_answer (&answer, &error);
  log_request (req, answer.status, error);

  if (result != NULL && req->endpoint->announce != NULL)
    req->endpoint->announce (g_task_get_source_object (task), req, result);

  if (result != NULL)
    g_task_return_pointer (task, result, req->endpoint->free_result);
  else
    g_task_return_error (task, g_steal_pointer (&error));
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

  set_too_large_error (req->endpoint, &error);
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

  if (chunk == NULL)
    fail_transport (task, error);
  else if (g_bytes_get_size (chunk) == 0)
    g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, req->cancellable,
                                on_closed, g_steal_pointer (&task));
  else if (req->body->len + g_bytes_get_size (chunk) > max_body (req->endpoint))
    fail_too_large (task);
  else
    {
      g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      read_next_chunk (g_steal_pointer (&task));
    }
}

static gboolean
announces_too_large (SoupMessageHeaders *headers,
                     const Endpoint     *endpoint)
{
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         soup_message_headers_get_content_length (headers) > (goffset) max_body (endpoint);
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

  req->retry_after_ms = parse_retry_after (soup_message_get_response_headers (req->msg));
  if (announces_too_large (soup_message_get_response_headers (req->msg), req->endpoint))
    {
      fail_too_large (task);
      return;
    }

  req->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

/* ------------------------------------------------------------------ */
/* Endpoints                                                           */
/* ------------------------------------------------------------------ */

static gpointer
read_start (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_start_response (root, error);
}

static gpointer
read_progress (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_progress_response (root, error);
}

static gpointer
read_job_status (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_job_status_response (root, error);
}

static gpointer
read_active_progress (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_active_progress_response (root, error);
}

static gpointer
read_queue_status (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_queue_status_response (root, error);
}

static gpointer
read_worker_health (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_worker_health_response (root, error);
}

static gpointer
read_queue_health (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_queue_health_response (root, http_status, error);
}

static gpointer
read_cleanup (JsonNode *root, guint http_status, GError **error)
{
  return vigil_reader_parse_cleanup_response (root, error);
}

static void
announce_progress (VigilApiClient *self,
                   Request        *req,
                   gpointer        result)
{
  VigilProgress *progress = result;

  g_signal_emit (self, signals[SIGNAL_PROGRESS_READ], 0, req->job_id, progress);
}

static void
announce_job_record (VigilApiClient *self,
                     Request        *req,
                     gpointer        result)
{
  VigilJobRecord *record = result;

  g_signal_emit (self, signals[SIGNAL_JOB_RECORD_READ], 0, req->job_id, record);
}

/* Every entry of a batch, named by its job id (the key when it had none). */
static void
announce_active_progress (VigilApiClient *self,
                          Request        *req,
                          gpointer        result)
{
  GPtrArray *jobs = result;

  if (!g_signal_has_handler_pending (self, signals[SIGNAL_PROGRESS_READ], 0, TRUE))
    return;

  for (guint i = 0; i < jobs->len; i++)
    {
      VigilProgress *progress = g_ptr_array_index (jobs, i);

      g_signal_emit (self, signals[SIGNAL_PROGRESS_READ], 0, progress->job_id, progress);
    }
}

static const Endpoint start_endpoint = {
  read_start, (GDestroyNotify) vigil_start_result_free, FALSE
};
static const Endpoint progress_endpoint = {
  read_progress, (GDestroyNotify) vigil_progress_free, FALSE, 0, announce_progress
};
static const Endpoint job_status_endpoint = {
  read_job_status, (GDestroyNotify) vigil_job_record_free, FALSE, 0, announce_job_record
};
/* Every running job in one answer: its size grows with the server's load. */
static const Endpoint active_progress_endpoint = {
  read_active_progress, (GDestroyNotify) g_ptr_array_unref, FALSE, VIGIL_API_MAX_BATCH_BODY_SIZE,
  announce_active_progress
};
static const Endpoint queue_status_endpoint = {
  read_queue_status, (GDestroyNotify) vigil_queue_status_free, FALSE
};
static const Endpoint worker_health_endpoint = {
  read_worker_health, (GDestroyNotify) vigil_worker_health_free, FALSE
};
static const Endpoint queue_health_endpoint = {
  read_queue_health, (GDestroyNotify) vigil_queue_health_free, TRUE
};
static const Endpoint cleanup_endpoint = {
  read_cleanup, g_free, FALSE
};

/* In the order of VigilApiEndpoint */
static const Endpoint *const endpoints[VIGIL_API_N_ENDPOINTS] = {
  &start_endpoint, &progress_endpoint, &job_status_endpoint, &active_progress_endpoint,
  &queue_status_endpoint, &worker_health_endpoint, &queue_health_endpoint, &cleanup_endpoint,
};

static gpointer
finish_request (VigilApiClient  *self,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
empty_json_body (void)
{
  return g_bytes_new_static ("{}", 2);
}

/* Job ids are opaque: every reserved character is escaped, '/' too. */
static char *
job_path (const char *prefix,
          const char *job_id,
          const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (job_id, NULL, FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* ------------------------------------------------------------------ */
/* URL validation                                                      */
/* ------------------------------------------------------------------ */

static gboolean
check_uri_parts (GUri        *uri,
                 const char  *text,
                 GError     **error)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  /* Before anything that quotes the address: it would show the password. */
  if (g_uri_get_userinfo (uri) != NULL)
    g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                         _("The server address must not contain a user name or password"));
  else if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” is not an http:// or https:// address"), text);
  else if (host == NULL || host[0] == '\0')
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” names no server"), text);
  else if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” must not have a query (?…) or a fragment (#…)"), text);
  else
    return TRUE;

  return FALSE;
}

/* Every request path starts with /api/: a base URL ending in /api would ask
 * for /api/api/…, which no server answers. A deployment under a prefix
 * (https://host/analysis) is fine. */
static gboolean
check_not_api (const char  *normalized,
               const char  *given,
               GError     **error)
{
  const char *slash = strrchr (normalized, '/');
  g_autofree char *suggestion = NULL;
  g_autofree char *shown = NULL;

  if (slash == NULL || g_ascii_strcasecmp (slash, "/api") != 0 ||
      slash == normalized || slash[-1] == '/')   /* "http://api" is a host */
    return TRUE;

  suggestion = g_strndup (normalized, slash - normalized);
  shown = g_strstrip (g_strdup (given));
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
               /* Translators: the first %s is the address given, the second one without /api */
               _("“%s” ends in /api, which Vigil adds to every request itself: use %s"),
               shown, suggestion);
  return FALSE;
}

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return TRUE;

  return FALSE;
}

/* The address without surrounding space and trailing slashes, or NULL. */
static char *
normalize_base_url (const char  *base_url,
                    GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (base_url != NULL ? base_url : ""));
  g_autoptr(GUri) uri = NULL;
  gsize len;

  /* GUri lets a space through in a host name. */
  if (text[0] == '\0' || has_space_or_control (text) ||
      (uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL)) == NULL)
    {
      if (text[0] == '\0')
        g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                             _("The server address is empty"));
      else
        g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                     _("“%s” is not a valid server address (for example http://localhost:5001)"),
                     text);
      return NULL;
    }

  if (!check_uri_parts (uri, text, error))
    return NULL;

  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';

  if (!check_not_api (text, base_url, error))
    return NULL;

  return g_steal_pointer (&text);
}

static gboolean
vigil_api_client_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  VigilApiClient *self = VIGIL_API_CLIENT (initable);
  char *normalized = normalize_base_url (self->base_url, error);

  if (normalized == NULL)
    return FALSE;

  g_free (self->base_url);
  self->base_url = normalized;
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", self->user_agent,
                                                 NULL);
  return TRUE;
}

static void
vigil_api_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = vigil_api_client_initable_init;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
set_secret (VigilApiClient  *self,
            char           **field,
            const char      *value,
            GParamSpec      *pspec)
{
  g_autofree char *stripped = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

  if (stripped != NULL && stripped[0] == '\0')
    g_clear_pointer (&stripped, g_free);

  if (g_strcmp0 (*field, stripped) == 0)
    return;

  g_free (*field);
  *field = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
vigil_api_client_dispose (GObject *object)
{
  VigilApiClient *self = VIGIL_API_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vigil_api_client_parent_class)->dispose (object);
}

static void
vigil_api_client_finalize (GObject *object)
{
  VigilApiClient *self = VIGIL_API_CLIENT (object);

  g_free (self->base_url);
  g_free (self->user_agent);
  g_free (self->token);
  g_free (self->cookie);

  G_OBJECT_CLASS (vigil_api_client_parent_class)->finalize (object);
}

static void
vigil_api_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VigilApiClient *self = VIGIL_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_COOKIE:
      g_value_set_string (value, self->cookie);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_api_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VigilApiClient *self = VIGIL_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      vigil_api_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_USER_AGENT:
      vigil_api_client_set_user_agent (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      vigil_api_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_COOKIE:
      vigil_api_client_set_cookie (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_api_client_class_init (VigilApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_api_client_dispose;
  object_class->finalize = vigil_api_client_finalize;
  object_class->get_property = vigil_api_client_get_property;
  object_class->set_property = vigil_api_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, 3600, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, PACKAGE_NAME "/" PACKAGE_VERSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COOKIE] =
    g_param_spec_string ("cookie", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* For tools that repeat the server's own words: each progress object and
   * job record read, before the caller gets it. job_id is the id asked
   * about, or the entry's job id in GET /api/progress. */
  signals[SIGNAL_PROGRESS_READ] =
    g_signal_new ("progress-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  VIGIL_TYPE_PROGRESS | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_JOB_RECORD_READ] =
    g_signal_new ("job-record-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  VIGIL_TYPE_JOB_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
vigil_api_client_init (VigilApiClient *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->user_agent = g_strdup (PACKAGE_NAME "/" PACKAGE_VERSION);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilApiClient *
vigil_api_client_new (const char  *base_url,
                      GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (VIGIL_TYPE_API_CLIENT, NULL, error, "base-url", base_url, NULL);
}

const char *
vigil_api_client_get_base_url (VigilApiClient *self)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), NULL);

  return self->base_url;
}

guint
vigil_api_client_get_timeout (VigilApiClient *self)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), 0);

  return self->timeout;
}

void
vigil_api_client_set_timeout (VigilApiClient *self,
                              guint           timeout)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", timeout, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

const char *
vigil_api_client_get_user_agent (VigilApiClient *self)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), NULL);

  return self->user_agent;
}

void
vigil_api_client_set_user_agent (VigilApiClient *self,
                                 const char     *user_agent)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));

  if (user_agent == NULL)
    user_agent = PACKAGE_NAME "/" PACKAGE_VERSION;

  if (g_strcmp0 (self->user_agent, user_agent) == 0)
    return;

  g_free (self->user_agent);
  self->user_agent = g_strdup (user_agent);
  if (self->session != NULL)
    soup_session_set_user_agent (self->session, user_agent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_AGENT]);
}

void
vigil_api_client_set_token (VigilApiClient *self,
                            const char     *token)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));

  set_secret (self, &self->token, token, properties[PROP_TOKEN]);
}

void
vigil_api_client_set_cookie (VigilApiClient *self,
                             const char     *cookie)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));

  set_secret (self, &self->cookie, cookie, properties[PROP_COOKIE]);
}

guint64
vigil_api_client_get_request_count (VigilApiClient *self)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), 0);

  return self->request_count;
}

gint64
vigil_api_result_get_retry_after_ms (GAsyncResult *result)
{
  Request *req;

  g_return_val_if_fail (G_IS_TASK (result), -1);
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (g_task_get_source_object (G_TASK (result))), -1);

  req = g_task_get_task_data (G_TASK (result));
  return req != NULL ? req->retry_after_ms : -1;
}

void
vigil_api_client_start_song_async (VigilApiClient      *self,
                                   gint64               song_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GBytes) body = empty_json_body ();

  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (song_id >= 0);

  send_request (self, "POST",
                g_strdup_printf ("/api/songs/%" G_GINT64_FORMAT "/analyze", song_id),
                NULL, body, &start_endpoint, cancellable, callback, user_data,
                vigil_api_client_start_song_async);
}

VigilStartResult *
vigil_api_client_start_song_finish (VigilApiClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return finish_request (self, result, vigil_api_client_start_song_async, error);
}

void
vigil_api_client_start_playlist_async (VigilApiClient      *self,
                                       gint64               playlist_id,
                                       gboolean             all_songs,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GBytes) body = empty_json_body ();

  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (playlist_id >= 0);

  send_request (self, "POST",
                g_strdup_printf ("/api/playlists/%" G_GINT64_FORMAT "/%s", playlist_id,
                                 all_songs ? "reanalyze-all" : "analyze-unanalyzed"),
                NULL, body, &start_endpoint, cancellable, callback, user_data,
                vigil_api_client_start_playlist_async);
}

VigilStartResult *
vigil_api_client_start_playlist_finish (VigilApiClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return finish_request (self, result, vigil_api_client_start_playlist_async, error);
}

void
vigil_api_client_start_user_async (VigilApiClient      *self,
                                   gint64               user_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GBytes) body = empty_json_body ();

  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (user_id >= 0);

  send_request (self, "POST",
                g_strdup_printf ("/api/admin/reanalyze-user/%" G_GINT64_FORMAT, user_id),
                NULL, body, &start_endpoint, cancellable, callback, user_data,
                vigil_api_client_start_user_async);
}

VigilStartResult *
vigil_api_client_start_user_finish (VigilApiClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return finish_request (self, result, vigil_api_client_start_user_async, error);
}

void
vigil_api_client_get_progress_async (VigilApiClient      *self,
                                     const char          *job_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (job_id != NULL && job_id[0] != '\0');

  send_request (self, "GET", job_path ("/api/progress/", job_id, ""), job_id, NULL,
                &progress_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_progress_async);
}

VigilProgress *
vigil_api_client_get_progress_finish (VigilApiClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_progress_async, error);
}

void
vigil_api_client_get_job_status_async (VigilApiClient      *self,
                                       const char          *job_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (job_id != NULL && job_id[0] != '\0');

  send_request (self, "GET", job_path ("/api/jobs/", job_id, "/status"), job_id, NULL,
                &job_status_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_job_status_async);
}

VigilJobRecord *
vigil_api_client_get_job_status_finish (VigilApiClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_job_status_async, error);
}

void
vigil_api_client_get_active_progress_async (VigilApiClient      *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  send_request (self, "GET", g_strdup ("/api/progress"), NULL, NULL,
                &active_progress_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_active_progress_async);
}

GPtrArray *
vigil_api_client_get_active_progress_finish (VigilApiClient  *self,
                                             GAsyncResult    *result,
                                             GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_active_progress_async, error);
}

void
vigil_api_client_get_queue_status_async (VigilApiClient      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  send_request (self, "GET", g_strdup ("/api/queue/status"), NULL, NULL,
                &queue_status_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_queue_status_async);
}

VigilQueueStatus *
vigil_api_client_get_queue_status_finish (VigilApiClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_queue_status_async, error);
}

void
vigil_api_client_get_worker_health_async (VigilApiClient      *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  send_request (self, "GET", g_strdup ("/api/worker/health"), NULL, NULL,
                &worker_health_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_worker_health_async);
}

VigilWorkerHealth *
vigil_api_client_get_worker_health_finish (VigilApiClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_worker_health_async, error);
}

void
vigil_api_client_get_queue_health_async (VigilApiClient      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  send_request (self, "GET", g_strdup ("/api/queue/health"), NULL, NULL,
                &queue_health_endpoint, cancellable, callback, user_data,
                vigil_api_client_get_queue_health_async);
}

VigilQueueHealth *
vigil_api_client_get_queue_health_finish (VigilApiClient  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return finish_request (self, result, vigil_api_client_get_queue_health_async, error);
}

void
vigil_api_client_cleanup_async (VigilApiClient      *self,
                                int                  max_age_hours,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  if (max_age_hours > 0)
    {
      char *text = g_strdup_printf ("{\"max_age_hours\": %d}", max_age_hours);
      body = g_bytes_new_take (text, strlen (text));
    }
  else
    body = empty_json_body ();

  send_request (self, "POST", g_strdup ("/api/progress/cleanup"), NULL, body,
                &cleanup_endpoint, cancellable, callback, user_data,
                vigil_api_client_cleanup_async);
}

char *
vigil_api_client_cleanup_finish (VigilApiClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_request (self, result, vigil_api_client_cleanup_async, error);
}

/* ------------------------------------------------------------------ */
/* Answers without a network (vigil-api-client-private.h)              */
/* ------------------------------------------------------------------ */

gpointer
vigil_api_read_answer (VigilApiEndpoint     endpoint,
                       guint                status,
                       const char          *reason_phrase,
                       SoupMessageHeaders  *headers,
                       GBytes              *body,
                       gint64              *retry_after_ms,
                       GError             **error)
{
  Answer answer = { NULL, status, reason_phrase, headers, body, -1, NULL };

  g_return_val_if_fail (endpoint < VIGIL_API_N_ENDPOINTS, NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* What on_sent() and on_read() check before complete_request(). */
  answer.endpoint = endpoints[endpoint];
  answer.retry_after_ms = parse_retry_after (headers);
  if (retry_after_ms != NULL)
    *retry_after_ms = answer.retry_after_ms;

  if (announces_too_large (headers, answer.endpoint) ||
      g_bytes_get_size (body) > max_body (answer.endpoint))
    {
      set_too_large_error (answer.endpoint, error);
      return NULL;
    }

  return process_answer (&answer, error);
}

void
vigil_api_endpoint_free_result (VigilApiEndpoint endpoint,
                                gpointer         result)
{
  g_return_if_fail (endpoint < VIGIL_API_N_ENDPOINTS);

  if (result != NULL)
    endpoints[endpoint]->free_result (result);
}
