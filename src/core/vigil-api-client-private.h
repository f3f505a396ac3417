/* vigil-api-client-private.h — the client's answer path without a network,
 * for tests and fuzzing; and what the parts of VigilApiClient share: the
 * instance struct, how each endpoint is read, a complete answer and each
 * part's internal API. Internal to libvigil-core: nothing here is API.
 *
 *   vigil-api-client.c   the GObject: properties, the read signals, the
 *                        session, the public API of the endpoints
 *   vigil-api-request.c  one request's way: the message and its headers,
 *                        the deadline, the streamed body, transport errors
 *   vigil-api-answer.c   the answer path: the endpoints' readers, statuses
 *                        to errors, sign-in pages, Retry-After, body limits
 *   vigil-api-url.c      the base URL's checks and normal form, job paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-api-client.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* The answer path without a network: tests and fuzzing                */
/* ------------------------------------------------------------------ */

/* The endpoints, by the reading their answers get. */
typedef enum
{
  VIGIL_API_ENDPOINT_START,            /* the four POST …/analyze… routes */
  VIGIL_API_ENDPOINT_PROGRESS,
  VIGIL_API_ENDPOINT_JOB_STATUS,
  VIGIL_API_ENDPOINT_ACTIVE_PROGRESS,
  VIGIL_API_ENDPOINT_QUEUE_STATUS,
  VIGIL_API_ENDPOINT_WORKER_HEALTH,
  VIGIL_API_ENDPOINT_QUEUE_HEALTH,
  VIGIL_API_ENDPOINT_CLEANUP,
  VIGIL_API_N_ENDPOINTS
} VigilApiEndpoint;

/* What a request to endpoint makes of a whole answer — its status, reason
 * phrase (nullable), response headers and body — through the same code,
 * less the network: the result its _finish() would return (free it with
 * vigil_api_endpoint_free_result()), or NULL and the error it would give.
 * retry_after_ms (nullable) receives what
 * vigil_api_result_get_retry_after_ms() would. */
gpointer  vigil_api_read_answer          (VigilApiEndpoint     endpoint,
                                          guint                status,
                                          const char          *reason_phrase,
                                          SoupMessageHeaders  *headers,
                                          GBytes              *body,
                                          gint64              *retry_after_ms,
                                          GError             **error);
void      vigil_api_endpoint_free_result (VigilApiEndpoint     endpoint,
                                          gpointer             result);

/* ------------------------------------------------------------------ */
/* Types the parts share                                               */
/* ------------------------------------------------------------------ */

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

/* How one endpoint's answer becomes its result. */
typedef gpointer (*ApiReadFunc) (JsonNode  *root,
                                 guint      http_status,
                                 GError   **error);

/* Tells listeners about what was read (see the read signals); job_id is
 * the job asked about, or NULL. */
typedef void (*ApiAnnounceFunc) (VigilApiClient *self,
                                 const char     *job_id,
                                 gpointer        result);

/* What is known of one endpoint (vigil-api-answer.c). */
typedef struct
{
  ApiReadFunc      read;
  GDestroyNotify   free_result;
  gboolean         unavailable_is_answer;  /* a 503 with a JSON body is a result */
  gsize            max_body;               /* 0: VIGIL_API_MAX_BODY_SIZE */
  ApiAnnounceFunc  announce;               /* nullable */
} ApiEndpointInfo;

/* A complete answer, whatever brought it: a request, or a caller of
 * vigil_api_read_answer(). */
typedef struct
{
  const ApiEndpointInfo *endpoint;
  guint                  status;
  const char            *reason;          /* the reason phrase, nullable */
  SoupMessageHeaders    *headers;
  GBytes                *body;
  gint64                 retry_after_ms;
  const char            *url;             /* the address asked, for messages */
  /* GET /api/progress read job by job (nullable): each record of a
   * successful answer goes to each (vigil-reader-active.h); the result is
   * then GINT_TO_POINTER (TRUE). */
  gboolean             (*each)            (VigilProgress *progress,
                                           gpointer       user_data);
  gpointer               each_data;
} ApiAnswer;

/* ------------------------------------------------------------------ */
/* vigil-api-client.c: the read signals                                */
/* ------------------------------------------------------------------ */

void      vigil_api_client_announce_progress        (VigilApiClient         *self,
                                                     const char             *job_id,
                                                     gpointer                result);
void      vigil_api_client_announce_job_record      (VigilApiClient         *self,
                                                     const char             *job_id,
                                                     gpointer                result);
void      vigil_api_client_announce_active_progress (VigilApiClient         *self,
                                                     const char             *job_id,
                                                     gpointer                result);

/* ------------------------------------------------------------------ */
/* vigil-api-request.c                                                 */
/* ------------------------------------------------------------------ */

/* Send method path (owned: freed with the request) to the client's server
 * and read the answer as endpoint's; job_id (nullable) is the job asked
 * about, json_body (nullable) the request's body. The result comes through
 * a GTask of self with source_tag. */
void      vigil_api_request_send                    (VigilApiClient         *self,
                                                     const char             *method,
                                                     char                   *path,
                                                     const char             *job_id,
                                                     GBytes                 *json_body,
                                                     VigilApiEndpoint        endpoint,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data,
                                                     gpointer                source_tag);

/* GET /api/progress with each record to func as it is read
 * (vigil_api_client_read_active_progress_async()); the task's result is
 * a boolean. */
void      vigil_api_request_read_active             (VigilApiClient         *self,
                                                     VigilApiProgressFunc    func,
                                                     gpointer                func_data,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data,
                                                     gpointer                source_tag);

/* ------------------------------------------------------------------ */
/* vigil-api-answer.c                                                  */
/* ------------------------------------------------------------------ */

const ApiEndpointInfo *
          vigil_api_endpoint_info                   (VigilApiEndpoint        endpoint);
/* The largest body the endpoint reads. */
gsize     vigil_api_endpoint_max_body               (const ApiEndpointInfo  *endpoint);
/* Whether the headers announce a body larger than that. */
gboolean  vigil_api_announces_too_large             (SoupMessageHeaders     *headers,
                                                     const ApiEndpointInfo  *endpoint);
void      vigil_api_set_too_large_error             (const ApiEndpointInfo  *endpoint,
                                                     GError                **error);
/* Whether the headers say the body is HTML (a sign-in page). */
gboolean  vigil_api_headers_say_html                (SoupMessageHeaders     *headers);
/* The Retry-After header in ms (vigil_api_parse_retry_after()), -1 when
 * absent or unreadable. */
gint64    vigil_api_retry_after_of                  (SoupMessageHeaders     *headers);
/* The result a whole answer gives, or NULL and the error. */
gpointer  vigil_api_answer_process                  (const ApiAnswer        *answer,
                                                     GError                **error);

/* ------------------------------------------------------------------ */
/* vigil-api-url.c                                                     */
/* ------------------------------------------------------------------ */

/* The address without surrounding space and trailing slashes, or NULL and
 * a VIGIL_API_ERROR_INVALID_URL that says what is wrong with it. */
char     *vigil_api_normalize_base_url              (const char             *base_url,
                                                     GError                **error);
/* prefix, the job id escaped, suffix. */
char     *vigil_api_job_path                        (const char             *prefix,
                                                     const char             *job_id,
                                                     const char             *suffix);

G_END_DECLS
