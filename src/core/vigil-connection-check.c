/* vigil-connection-check.c — "Test Connection": what a server answers
 * a client, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigil-connection-check.h"

typedef struct
{
  VigilConnectionResult  result;
  char                  *text;
} CheckOutcome;

G_DEFINE_ENUM_TYPE (VigilConnectionResult, vigil_connection_result,
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_ADMIN, "admin"),
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_SIGNED_IN, "signed-in"),
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_SIGNIN_REDIRECT, "signin-redirect"),
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_WANTS_TOKEN, "wants-token"),
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_NO_SERVICE, "no-service"),
                    G_DEFINE_ENUM_VALUE (VIGIL_CONNECTION_ERROR, "error"))

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
check_outcome_free (gpointer data)
{
  CheckOutcome *outcome = data;

  g_free (outcome->text);
  g_free (outcome);
}

static void
return_outcome (GTask                 *task,
                VigilConnectionResult  result,
                const char            *error_text)
{
  CheckOutcome *outcome = g_new0 (CheckOutcome, 1);

  outcome->result = result;
  outcome->text = g_strdup (result == VIGIL_CONNECTION_ERROR
                            ? error_text
                            : vigil_connection_result_to_text (result));
  g_task_return_pointer (task, outcome, check_outcome_free);
}

/* What the first request's failure says about the server. */
static VigilConnectionResult
classify_error (const GError *error)
{
  if (vigil_api_error_is_signin_page (error))
    return VIGIL_CONNECTION_SIGNIN_REDIRECT;
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN))
    return VIGIL_CONNECTION_WANTS_TOKEN;
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL))
    return VIGIL_CONNECTION_NO_SERVICE;
  return VIGIL_CONNECTION_ERROR;
}

static gboolean
is_host_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_queue_status (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  VigilQueueStatus *status;

  status = vigil_api_client_get_queue_status_finish (VIGIL_API_CLIENT (source), result, &error);
  if (status != NULL)
    {
      vigil_queue_status_free (status);
      return_outcome (task, VIGIL_CONNECTION_ADMIN, NULL);
    }
  else if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK) ||
           g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_TIMEOUT) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return_outcome (task, VIGIL_CONNECTION_ERROR, error->message);
  else
    /* 403, or a 401 for a user's token on an admin path */
    return_outcome (task, VIGIL_CONNECTION_SIGNED_IN, NULL);
}

static void
on_progress (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GCancellable *cancellable;

  jobs = vigil_api_client_get_active_progress_finish (VIGIL_API_CLIENT (source), result, &error);
  if (jobs == NULL)
    {
      return_outcome (task, classify_error (error), error->message);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  vigil_api_client_get_queue_status_async (VIGIL_API_CLIENT (source), cancellable,
                                           on_queue_status, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

const char *
vigil_connection_result_to_text (VigilConnectionResult result)
{
  switch (result)
    {
    case VIGIL_CONNECTION_ADMIN:
      return _("Signed in as an admin");
    case VIGIL_CONNECTION_SIGNED_IN:
      return _("Signed in (not an admin: cleanup and whole-library analyses are unavailable)");
    case VIGIL_CONNECTION_SIGNIN_REDIRECT:
      return _("Not signed in: the server redirected to a sign-in page");
    case VIGIL_CONNECTION_WANTS_TOKEN:
      return _("Not signed in: the server wants a token");
    case VIGIL_CONNECTION_NO_SERVICE:
      return _("No analysis service at this address");
    case VIGIL_CONNECTION_ERROR:
    default:
      return NULL;
    }
}

const char *
vigil_connection_url_warning (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return NULL;
  host = g_uri_get_host (uri);
  if (host == NULL || is_host_loopback (host))
    return NULL;
  return _("Plain http: the token or cookie travels unencrypted; use https for a remote server");
}

void
vigil_connection_check_async (VigilApiClient      *client,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VIGIL_IS_API_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_connection_check_async);
  vigil_api_client_get_active_progress_async (client, cancellable, on_progress,
                                              g_steal_pointer (&task));
}

VigilConnectionResult
vigil_connection_check_finish (VigilApiClient  *client,
                               GAsyncResult    *result,
                               char           **text)
{
  CheckOutcome *outcome;
  VigilConnectionResult value;

  g_return_val_if_fail (g_task_is_valid (result, client), VIGIL_CONNECTION_ERROR);

  outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  g_assert (outcome != NULL);
  value = outcome->result;
  if (text != NULL)
    *text = g_steal_pointer (&outcome->text);
  check_outcome_free (outcome);
  return value;
}
