/* vigil-api-client.h — the analysis service's HTTP API, asynchronously
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-types.h"

G_BEGIN_DECLS

/* The server Vigil and vigilctl talk to when none is configured (the
 * demo server's default port). The GSettings schema's default for
 * server-url says the same; test-app checks that they agree. */
#define VIGIL_DEFAULT_SERVER_URL "http://localhost:5001"

#define VIGIL_API_ERROR (vigil_api_error_quark ())

typedef enum
{
  VIGIL_API_ERROR_NETWORK,      /* refused, unknown host, reset, TLS */
  VIGIL_API_ERROR_TIMEOUT,      /* no complete answer within the timeout */
  VIGIL_API_ERROR_NOT_FOUND,    /* 404: unknown job, song, playlist, user */
  VIGIL_API_ERROR_UNAUTHORIZED, /* 401, a redirect, or an HTML page: not signed in */
  VIGIL_API_ERROR_FORBIDDEN,    /* 403: admin privileges required */
  VIGIL_API_ERROR_SERVER,       /* 5xx (503 without Retry-After) */
  VIGIL_API_ERROR_PROTOCOL,     /* not JSON, not the expected shape, too large */
  VIGIL_API_ERROR_RATE_LIMITED, /* 429, or 503 with Retry-After */
  VIGIL_API_ERROR_INVALID_URL,  /* a base URL that is not http(s)://host[:port][/path] */
} VigilApiError;

GQuark vigil_api_error_quark (void);

/* TRUE for the UNAUTHORIZED that a redirect or an HTML sign-in page gave
 * (a server that wants a browser session), FALSE for a 401 (a server that
 * wants a token) and for every other error. */
gboolean vigil_api_error_is_signin_page (const GError *error);

/* Largest body read; a larger answer is VIGIL_API_ERROR_PROTOCOL. */
#define VIGIL_API_MAX_BODY_SIZE (4 * 1024 * 1024)
/* GET /api/progress lists every running job (about 600 bytes each): its
 * limit allows some 50 000 of them. */
#define VIGIL_API_MAX_BATCH_BODY_SIZE (32 * 1024 * 1024)

#define VIGIL_TYPE_API_CLIENT (vigil_api_client_get_type ())
G_DECLARE_FINAL_TYPE (VigilApiClient, vigil_api_client, VIGIL, API_CLIENT, GObject)

/* Properties:
 *   base-url    char*   construct-only; "http(s)://host[:port][/prefix]". Paths
 *                       ("/api/…") are joined onto it, so a service deployed
 *                       under a prefix (https://host/analysis) works. A base
 *                       whose path ends in /api is refused (INVALID_URL, the
 *                       message suggests the address without it): it would
 *                       ask for /api/api/….
 *   timeout     guint   seconds for a whole request (default 15, 0 = none)
 *   user-agent  char*   default "Vigil/<version>"
 *   token       char*   sent as "Authorization: Bearer <token>"; never logged
 *   cookie      char*   session cookie "name=value"; never logged
 */
/* Signals, for tools that repeat the server's own words:
 *   progress-read   (const char *job_id, VigilProgress *progress)
 *   job-record-read (const char *job_id, VigilJobRecord *record)
 * emitted for every progress object (GET /api/progress/<id>, and each entry
 * of GET /api/progress) and job record read, just before the caller's
 * callback gets it; job_id is the id asked about (a batch entry's job id).
 * Both arguments are only valid during the emission.
 *
 * Error messages name the address: "Could not connect to <base URL>: …",
 * and a 404 without a message from the server "The server does not know
 * the address <URL requested>". */
VigilApiClient    *vigil_api_client_new                    (const char          *base_url,
                                                            GError             **error);

const char        *vigil_api_client_get_base_url           (VigilApiClient      *self);
guint              vigil_api_client_get_timeout            (VigilApiClient      *self);
void               vigil_api_client_set_timeout            (VigilApiClient      *self,
                                                            guint                timeout);
const char        *vigil_api_client_get_user_agent         (VigilApiClient      *self);
void               vigil_api_client_set_user_agent         (VigilApiClient      *self,
                                                            const char          *user_agent);
void               vigil_api_client_set_token              (VigilApiClient      *self,
                                                            const char          *token);
void               vigil_api_client_set_cookie             (VigilApiClient      *self,
                                                            const char          *cookie);
/* Requests sent since the client was created. */
guint64            vigil_api_client_get_request_count      (VigilApiClient      *self);

/* A Retry-After header in milliseconds from now, capped at one day:
 * delta-seconds or an HTTP date (a past date gives 0, part of a millisecond
 * counts as one). NULL, empty or unreadable gives -1. now may be NULL for
 * the current time. */
gint64             vigil_api_parse_retry_after             (const char          *header,
                                                            GDateTime           *now);
/* Retry-After of the answer behind result (a result of this client, success
 * or failure) in milliseconds, capped at one day; -1 when absent. */
gint64             vigil_api_result_get_retry_after_ms     (GAsyncResult        *result);
/* The body bytes read for the request of result (a _finish()ed one, any
 * outcome): what the poller's diagnostics count as received. */
guint64            vigil_api_result_get_bytes_received     (GAsyncResult        *result);

/* POST /api/songs/<song_id>/analyze */
void               vigil_api_client_start_song_async       (VigilApiClient      *self,
                                                            gint64               song_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
VigilStartResult  *vigil_api_client_start_song_finish      (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* POST /api/playlists/<id>/analyze-unanalyzed, or …/reanalyze-all when
 * all_songs. A result with job_id NULL means nothing needed analysis. */
void               vigil_api_client_start_playlist_async   (VigilApiClient      *self,
                                                            gint64               playlist_id,
                                                            gboolean             all_songs,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
VigilStartResult  *vigil_api_client_start_playlist_finish  (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* POST /api/admin/reanalyze-user/<user_id> (admin) */
void               vigil_api_client_start_user_async       (VigilApiClient      *self,
                                                            gint64               user_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
VigilStartResult  *vigil_api_client_start_user_finish      (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* GET /api/progress/<job_id>. NOT_FOUND means "queued or finished": ask
 * get_job_status. */
void               vigil_api_client_get_progress_async     (VigilApiClient      *self,
                                                            const char          *job_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
VigilProgress     *vigil_api_client_get_progress_finish    (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* GET /api/jobs/<job_id>/status */
void               vigil_api_client_get_job_status_async   (VigilApiClient      *self,
                                                            const char          *job_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
VigilJobRecord    *vigil_api_client_get_job_status_finish  (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* GET /api/progress: a GPtrArray of VigilProgress (free func set) */
void               vigil_api_client_get_active_progress_async  (VigilApiClient      *self,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
GPtrArray         *vigil_api_client_get_active_progress_finish (VigilApiClient      *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);

/* Hears one job's record of GET /api/progress; progress is lent for the
 * call. */
typedef void       (*VigilApiProgressFunc)                 (VigilProgress       *progress,
                                                            gpointer             user_data);

/* GET /api/progress read as it arrives: each job's record goes to func
 * (and to the progress-read signal) as soon as it is read, so neither the
 * whole body nor all the records are held at once. func is called only
 * before callback, never after a cancellation. TRUE when the whole answer
 * was read; otherwise the error get_active_progress gives for the same
 * answer, and the records func heard before were each whole and valid
 * (a later record was not read: its job is the caller's to ask again). */
void               vigil_api_client_read_active_progress_async  (VigilApiClient       *self,
                                                                 VigilApiProgressFunc  func,
                                                                 gpointer              func_data,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean           vigil_api_client_read_active_progress_finish (VigilApiClient       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* GET /api/queue/status */
void               vigil_api_client_get_queue_status_async  (VigilApiClient      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
VigilQueueStatus  *vigil_api_client_get_queue_status_finish (VigilApiClient      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* GET /api/worker/health */
void               vigil_api_client_get_worker_health_async  (VigilApiClient      *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
VigilWorkerHealth *vigil_api_client_get_worker_health_finish (VigilApiClient      *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* GET /api/queue/health: a 503 with a JSON body is a result with
 * healthy FALSE, not an error. */
void               vigil_api_client_get_queue_health_async  (VigilApiClient      *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
VigilQueueHealth  *vigil_api_client_get_queue_health_finish (VigilApiClient      *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* POST /api/progress/cleanup (admin); max_age_hours <= 0: the server's
 * default. Returns the server's message. */
void               vigil_api_client_cleanup_async          (VigilApiClient      *self,
                                                            int                  max_age_hours,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
char              *vigil_api_client_cleanup_finish         (VigilApiClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
