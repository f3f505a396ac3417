/* vigil-api-client-private.h — the client's answer path without a network,
 * for tests and fuzzing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "vigil-api-client.h"

G_BEGIN_DECLS

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

G_END_DECLS
