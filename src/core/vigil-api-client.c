/* vigil-api-client.c — the analysis service's HTTP API: the GObject, its
 * session and properties, the read signals, and an async/finish pair per
 * endpoint. vigil-api-client-private.h lists the other parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "vigil-api-client.h"
#include "vigil-api-client-private.h"

#define DEFAULT_TIMEOUT      15

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
/* The read signals                                                    */
/* ------------------------------------------------------------------ */

void
vigil_api_client_announce_progress (VigilApiClient *self,
                                    const char     *job_id,
                                    gpointer        result)
{
  VigilProgress *progress = result;

  g_signal_emit (self, signals[SIGNAL_PROGRESS_READ], 0, job_id, progress);
}

void
vigil_api_client_announce_job_record (VigilApiClient *self,
                                      const char     *job_id,
                                      gpointer        result)
{
  VigilJobRecord *record = result;

  g_signal_emit (self, signals[SIGNAL_JOB_RECORD_READ], 0, job_id, record);
}

/* Every entry of a batch, named by its job id (the key when it had none). */
void
vigil_api_client_announce_active_progress (VigilApiClient *self,
                                           const char     *job_id,
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

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* Initable                                                            */
/* ------------------------------------------------------------------ */

static gboolean
vigil_api_client_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  VigilApiClient *self = VIGIL_API_CLIENT (initable);
  char *normalized = vigil_api_normalize_base_url (self->base_url, error);

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

  vigil_api_request_send (self, "POST",
                          g_strdup_printf ("/api/songs/%" G_GINT64_FORMAT "/analyze", song_id),
                          NULL, body, VIGIL_API_ENDPOINT_START, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "POST",
                          g_strdup_printf ("/api/playlists/%" G_GINT64_FORMAT "/%s", playlist_id,
                                           all_songs ? "reanalyze-all" : "analyze-unanalyzed"),
                          NULL, body, VIGIL_API_ENDPOINT_START, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "POST",
                          g_strdup_printf ("/api/admin/reanalyze-user/%" G_GINT64_FORMAT, user_id),
                          NULL, body, VIGIL_API_ENDPOINT_START, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "GET", vigil_api_job_path ("/api/progress/", job_id, ""), job_id,
                          NULL, VIGIL_API_ENDPOINT_PROGRESS, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "GET", vigil_api_job_path ("/api/jobs/", job_id, "/status"), job_id,
                          NULL, VIGIL_API_ENDPOINT_JOB_STATUS, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "GET", g_strdup ("/api/progress"), NULL, NULL,
                          VIGIL_API_ENDPOINT_ACTIVE_PROGRESS, cancellable, callback, user_data,
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
vigil_api_client_read_active_progress_async (VigilApiClient       *self,
                                             VigilApiProgressFunc  func,
                                             gpointer              func_data,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (func != NULL);

  vigil_api_request_read_active (self, func, func_data, cancellable, callback, user_data,
                                 vigil_api_client_read_active_progress_async);
}

gboolean
vigil_api_client_read_active_progress_finish (VigilApiClient  *self,
                                              GAsyncResult    *result,
                                              GError         **error)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_api_client_read_active_progress_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vigil_api_client_get_queue_status_async (VigilApiClient      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (VIGIL_IS_API_CLIENT (self));
  g_return_if_fail (self->session != NULL);

  vigil_api_request_send (self, "GET", g_strdup ("/api/queue/status"), NULL, NULL,
                          VIGIL_API_ENDPOINT_QUEUE_STATUS, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "GET", g_strdup ("/api/worker/health"), NULL, NULL,
                          VIGIL_API_ENDPOINT_WORKER_HEALTH, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "GET", g_strdup ("/api/queue/health"), NULL, NULL,
                          VIGIL_API_ENDPOINT_QUEUE_HEALTH, cancellable, callback, user_data,
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

  vigil_api_request_send (self, "POST", g_strdup ("/api/progress/cleanup"), NULL, body,
                          VIGIL_API_ENDPOINT_CLEANUP, cancellable, callback, user_data,
                          vigil_api_client_cleanup_async);
}

char *
vigil_api_client_cleanup_finish (VigilApiClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_request (self, result, vigil_api_client_cleanup_async, error);
}
