/* vigil-api-answer.c — the answer path: how each endpoint's answer is read,
 * statuses as errors, sign-in pages, Retry-After and the limits on a body.
 * Requests (vigil-api-request.c) and vigil_api_read_answer() (tests and
 * fuzzing, without a network) go through the same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "vigil-reader.h"
#include "vigil-reader-active.h"

#include "vigil-api-client-private.h"

#define MAX_RETRY_AFTER_S    (24 * 60 * 60)
#define MAX_MESSAGE_CHARS    200
#define STATUS_TOO_MANY_REQUESTS 429   /* not in libsoup 3.2's SoupStatus */

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

static const ApiEndpointInfo start_endpoint = {
  read_start, (GDestroyNotify) vigil_start_result_free, FALSE
};
static const ApiEndpointInfo progress_endpoint = {
  read_progress, (GDestroyNotify) vigil_progress_free, FALSE, 0,
  vigil_api_client_announce_progress
};
static const ApiEndpointInfo job_status_endpoint = {
  read_job_status, (GDestroyNotify) vigil_job_record_free, FALSE, 0,
  vigil_api_client_announce_job_record
};
/* Every running job in one answer: its size grows with the server's load. */
static const ApiEndpointInfo active_progress_endpoint = {
  read_active_progress, (GDestroyNotify) g_ptr_array_unref, FALSE, VIGIL_API_MAX_BATCH_BODY_SIZE,
  vigil_api_client_announce_active_progress
};
static const ApiEndpointInfo queue_status_endpoint = {
  read_queue_status, (GDestroyNotify) vigil_queue_status_free, FALSE
};
static const ApiEndpointInfo worker_health_endpoint = {
  read_worker_health, (GDestroyNotify) vigil_worker_health_free, FALSE
};
static const ApiEndpointInfo queue_health_endpoint = {
  read_queue_health, (GDestroyNotify) vigil_queue_health_free, TRUE
};
static const ApiEndpointInfo cleanup_endpoint = {
  read_cleanup, g_free, FALSE
};

/* In the order of VigilApiEndpoint */
static const ApiEndpointInfo *const endpoints[VIGIL_API_N_ENDPOINTS] = {
  &start_endpoint, &progress_endpoint, &job_status_endpoint, &active_progress_endpoint,
  &queue_status_endpoint, &worker_health_endpoint, &queue_health_endpoint, &cleanup_endpoint,
};

const ApiEndpointInfo *
vigil_api_endpoint_info (VigilApiEndpoint endpoint)
{
  g_assert (endpoint < VIGIL_API_N_ENDPOINTS);

  return endpoints[endpoint];
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

gsize
vigil_api_endpoint_max_body (const ApiEndpointInfo *endpoint)
{
  return endpoint->max_body ? endpoint->max_body : VIGIL_API_MAX_BODY_SIZE;
}

void
vigil_api_set_too_large_error (const ApiEndpointInfo  *endpoint,
                               GError                **error)
{
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
               _("The server's answer is larger than %d MiB"),
               (int) (vigil_api_endpoint_max_body (endpoint) / (1024 * 1024)));
}

gboolean
vigil_api_announces_too_large (SoupMessageHeaders    *headers,
                               const ApiEndpointInfo *endpoint)
{
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         soup_message_headers_get_content_length (headers) >
         (goffset) vigil_api_endpoint_max_body (endpoint);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

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
server_message (const ApiAnswer *answer)
{
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (answer->body, NULL);
  g_autofree char *text = vigil_reader_parse_error_message (root);

  return text != NULL ? display_text (text) : NULL;
}

/* The reason phrase (any bytes a server sent), for display. */
static char *
reason_of (const ApiAnswer *answer)
{
  if (answer->reason != NULL && answer->reason[0] != '\0')
    return display_text (answer->reason);

  return g_strdup (soup_status_get_phrase (answer->status));
}

static void
set_unavailable_error (const ApiAnswer  *answer,
                       GError          **error)
{
  /* At most a day: see vigil_api_parse_retry_after(). */
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
set_status_error (const ApiAnswer  *answer,
                  GError          **error)
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

gboolean
vigil_api_headers_say_html (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL &&
         (g_ascii_strcasecmp (type, "text/html") == 0 ||
          g_ascii_strcasecmp (type, "application/xhtml+xml") == 0);
}

/* A sign-in page reached through a proxy or a followed redirect. */
static gboolean
looks_like_html (const ApiAnswer *answer)
{
  gsize len = 0;
  const char *text = g_bytes_get_data (answer->body, &len);
  gsize i = 0;

  if (vigil_api_headers_say_html (answer->headers))
    return TRUE;

  while (i < len && g_ascii_isspace (text[i]))
    i++;

  return i < len && text[i] == '<';
}

/* The two ways a browser-facing server says "not signed in" (as opposed
 * to a 401); vigil_api_error_is_signin_page() tells them apart by these. */
#define SIGNIN_PAGE_MESSAGE N_("Not signed in: the server answered with a sign-in page")
#define SIGNIN_REDIRECT_MESSAGE N_("Not signed in: the server redirected to a sign-in page")

gboolean
vigil_api_error_is_signin_page (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED) &&
         (g_strcmp0 (error->message, _(SIGNIN_PAGE_MESSAGE)) == 0 ||
          g_strcmp0 (error->message, _(SIGNIN_REDIRECT_MESSAGE)) == 0);
}

static gpointer
read_answer (const ApiAnswer  *answer,
             GError          **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (looks_like_html (answer))
    {
      g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                           _(SIGNIN_PAGE_MESSAGE));
      return NULL;
    }

  /* GET /api/progress lists every running job: no tree for all of them,
   * and for a caller that takes them one by one, not all at once. */
  if (answer->each != NULL)
    {
      g_autoptr(VigilActiveScanner) scanner = vigil_active_scanner_new (answer->each,
                                                                        answer->each_data);
      gsize len = 0;
      const char *text = g_bytes_get_data (answer->body, &len);

      vigil_active_scanner_feed (scanner, text != NULL ? text : "", len);
      return vigil_active_scanner_finish (scanner, error) ? GINT_TO_POINTER (TRUE) : NULL;
    }
  if (answer->endpoint->read == read_active_progress)
    return vigil_reader_parse_active_progress_bytes (answer->body, error);

  if ((root = vigil_reader_parse_bytes (answer->body, error)) == NULL)
    return NULL;

  return answer->endpoint->read (root, answer->status, error);
}

gpointer
vigil_api_answer_process (const ApiAnswer  *answer,
                          GError          **error)
{
  guint status = answer->status;
  gpointer result;

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                           _(SIGNIN_REDIRECT_MESSAGE));
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

/* ------------------------------------------------------------------ */
/* Retry-After                                                         */
/* ------------------------------------------------------------------ */

/* Saturates: a huge delta is still a valid header. */
static gint64
parse_delta_seconds (const char *text)
{
  guint64 seconds;

  if (!g_ascii_string_to_unsigned (text, 10, 0, MAX_RETRY_AFTER_S, &seconds, NULL))
    seconds = MAX_RETRY_AFTER_S;   /* only "out of bounds" is possible here */
  return (gint64) seconds * 1000;
}

static gint64
parse_http_date (const char *text,
                 GDateTime  *now)
{
  g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (text);
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan until;

  if (date == NULL)
    return -1;

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  until = g_date_time_difference (date, current);
  /* Round up: polling a few µs early would hit the server's limit again. */
  return CLAMP ((until + 999) / 1000, 0, (gint64) MAX_RETRY_AFTER_S * 1000);
}

gint64
vigil_api_retry_after_of (SoupMessageHeaders *headers)
{
  return vigil_api_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"), NULL);
}

gint64
vigil_api_parse_retry_after (const char *header,
                             GDateTime  *now)
{
  g_autofree char *text = NULL;

  if (header == NULL)
    return -1;

  text = g_strstrip (g_strdup (header));
  if (text[0] == '\0')
    return -1;
  if (strspn (text, "0123456789") == strlen (text))
    return parse_delta_seconds (text);
  return parse_http_date (text, now);
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
  ApiAnswer answer = { NULL, status, reason_phrase, headers, body, -1, NULL, NULL, NULL };

  g_return_val_if_fail (endpoint < VIGIL_API_N_ENDPOINTS, NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* What on_sent() and on_read() check before complete_request()
   * (vigil-api-request.c). */
  answer.endpoint = endpoints[endpoint];
  answer.retry_after_ms = vigil_api_retry_after_of (headers);
  if (retry_after_ms != NULL)
    *retry_after_ms = answer.retry_after_ms;

  if (vigil_api_announces_too_large (headers, answer.endpoint) ||
      g_bytes_get_size (body) > vigil_api_endpoint_max_body (answer.endpoint))
    {
      vigil_api_set_too_large_error (answer.endpoint, error);
      return NULL;
    }

  return vigil_api_answer_process (&answer, error);
}

void
vigil_api_endpoint_free_result (VigilApiEndpoint endpoint,
                                gpointer         result)
{
  g_return_if_fail (endpoint < VIGIL_API_N_ENDPOINTS);

  if (result != NULL)
    endpoints[endpoint]->free_result (result);
}
