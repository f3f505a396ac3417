/* vigil-connection-check.h — "Test Connection": what a server answers
 * a client, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-api-client.h"

G_BEGIN_DECLS

typedef enum
{
  VIGIL_CONNECTION_ADMIN,            /* user and admin paths answer */
  VIGIL_CONNECTION_SIGNED_IN,        /* user paths answer, admin paths refuse */
  VIGIL_CONNECTION_SIGNIN_REDIRECT,  /* a redirect or an HTML sign-in page */
  VIGIL_CONNECTION_WANTS_TOKEN,      /* 401 */
  VIGIL_CONNECTION_NO_SERVICE,       /* 404 or an answer that is not the API's */
  VIGIL_CONNECTION_ERROR,            /* network, TLS, timeout, 5xx, …: the error's text */
} VigilConnectionResult;

#define VIGIL_TYPE_CONNECTION_RESULT (vigil_connection_result_get_type ())
GType vigil_connection_result_get_type (void) G_GNUC_CONST;

/* GET /api/progress, then (when that answers) GET /api/queue/status to learn
 * admin rights, with client's base URL, token and cookie. Never fails:
 * finish gives the result and, in text (nullable; free it), the sentence
 * for the user, e.g. "Signed in as an admin". */
void                   vigil_connection_check_async  (VigilApiClient       *client,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
VigilConnectionResult  vigil_connection_check_finish (VigilApiClient       *client,
                                                      GAsyncResult         *result,
                                                      char                **text);

/* The sentence for a result (NULL for VIGIL_CONNECTION_ERROR, whose text is
 * the error's). */
const char            *vigil_connection_result_to_text (VigilConnectionResult result);

/* A warning for a base URL that sends secrets in the clear: plain http to a
 * host that is not loopback. NULL when there is nothing to warn about. */
const char            *vigil_connection_url_warning   (const char *base_url);

G_END_DECLS
