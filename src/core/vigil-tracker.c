/* vigil-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-array.h"

#include "vigil-tracker.h"

struct _VigilTracker
{
  GObject          parent_instance;

  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilJobArray   *jobs;
  GHashTable      *by_id;   /* job id → VigilJob (unowned; the store owns) */
  char            *server_name;  /* the user's name for the server, or NULL */
  guint64          next_sequence;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_POLLER,
  PROP_JOBS,
  PROP_SERVER_NAME,
  N_PROPS
};

enum {
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilTracker, vigil_tracker, G_TYPE_OBJECT)

typedef struct
{
  VigilJobKind  kind;
  gint64        target_id;
  VigilJob     *job;     /* the tracked job, once the server answered */
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_object (&data->job);
  g_free (data);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
find_job (VigilTracker *self,
          VigilJob     *job,
          guint        *position)
{
  return vigil_job_array_find (self->jobs, job, position);
}

/* Views filter and sort by whether a job is finished or watched, which no
 * item signal tells a GtkFilterListModel or GtkSortListModel: put the job
 * back in its place, so that they look at this one job again. */
static void
reannounce (VigilTracker *self,
            VigilJob     *job)
{
  guint position;

  if (find_job (self, job, &position))
    vigil_job_array_reannounce (self->jobs, position);
}

static VigilJob *
add_job (VigilTracker *self,
         const char   *job_id,
         VigilJobKind  kind,
         gint64        target_id)
{
  g_autoptr(VigilJob) job = vigil_job_new (job_id, kind, target_id);

  vigil_job_set_sequence (job, ++self->next_sequence);
  vigil_job_set_server_name (job, vigil_tracker_get_server_name (self));
  g_hash_table_insert (self->by_id, (char *) vigil_job_get_job_id (job), job);
  vigil_job_array_append (self->jobs, job);
  vigil_poller_track (self->poller, job);
  return job;
}

/* A stopped job is watched again (a finished one is not). */
static void
track_again (VigilTracker *self,
             VigilJob     *job)
{
  if (vigil_poller_is_tracking (self->poller, job))
    return;

  vigil_poller_track (self->poller, job);
  if (vigil_poller_is_tracking (self->poller, job))
    reannounce (self, job);
}

static void
on_poller_job_finished (VigilPoller  *poller,
                        VigilJob     *job,
                        VigilTracker *self)
{
  if (g_hash_table_lookup (self->by_id, vigil_job_get_job_id (job)) != job)
    return;

  reannounce (self, job);
  g_signal_emit (self, signals[JOB_FINISHED], 0, job);
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VigilApiClient *client = VIGIL_API_CLIENT (object);
  StartData *data = g_task_get_task_data (task);
  VigilStartResult *answer = NULL;
  GError *error = NULL;

  switch (data->kind)
    {
    case VIGIL_JOB_KIND_SONG:
      answer = vigil_api_client_start_song_finish (client, result, &error);
      break;
    case VIGIL_JOB_KIND_PLAYLIST:
      answer = vigil_api_client_start_playlist_finish (client, result, &error);
      break;
    default:
      answer = vigil_api_client_start_user_finish (client, result, &error);
      break;
    }

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Track at once, whether or not the caller waits for the answer. */
  if (answer->job_id != NULL)
    {
      VigilTracker *self = g_task_get_source_object (task);

      data->job = g_object_ref (vigil_tracker_watch (self, answer->job_id, data->kind,
                                                     data->target_id));
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) vigil_start_result_free);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_tracker_constructed (GObject *object)
{
  VigilTracker *self = VIGIL_TRACKER (object);

  G_OBJECT_CLASS (vigil_tracker_parent_class)->constructed (object);

  if (self->poller == NULL)
    self->poller = vigil_poller_new (self->client);
  g_signal_connect_object (self->poller, "job-finished",
                           G_CALLBACK (on_poller_job_finished), self, 0);
}

static void
vigil_tracker_dispose (GObject *object)
{
  VigilTracker *self = VIGIL_TRACKER (object);

  if (self->poller != NULL)
    vigil_poller_untrack_all (self->poller);
  g_clear_object (&self->poller);
  g_clear_object (&self->client);
  g_hash_table_remove_all (self->by_id);
  vigil_job_array_remove_all (self->jobs);

  G_OBJECT_CLASS (vigil_tracker_parent_class)->dispose (object);
}

static void
vigil_tracker_finalize (GObject *object)
{
  VigilTracker *self = VIGIL_TRACKER (object);

  g_clear_object (&self->jobs);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_free (self->server_name);

  G_OBJECT_CLASS (vigil_tracker_parent_class)->finalize (object);
}

static void
vigil_tracker_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VigilTracker *self = VIGIL_TRACKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_POLLER:
      g_value_set_object (value, self->poller);
      break;
    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
      break;
    case PROP_SERVER_NAME:
      g_value_set_string (value, vigil_tracker_get_server_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_tracker_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VigilTracker *self = VIGIL_TRACKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_POLLER:
      self->poller = g_value_dup_object (value);
      break;
    case PROP_SERVER_NAME:
      vigil_tracker_set_server_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_tracker_class_init (VigilTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_tracker_constructed;
  object_class->dispose = vigil_tracker_dispose;
  object_class->finalize = vigil_tracker_finalize;
  object_class->get_property = vigil_tracker_get_property;
  object_class->set_property = vigil_tracker_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, VIGIL_TYPE_API_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLLER] =
    g_param_spec_object ("poller", NULL, NULL, VIGIL_TYPE_POLLER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOBS] =
    g_param_spec_object ("jobs", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_NAME] =
    g_param_spec_string ("server-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VIGIL_TYPE_JOB);
}

static void
vigil_tracker_init (VigilTracker *self)
{
  self->jobs = vigil_job_array_new ();
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilTracker *
vigil_tracker_new (VigilApiClient *client,
                   VigilPoller    *poller)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (poller == NULL || VIGIL_IS_POLLER (poller), NULL);

  return g_object_new (VIGIL_TYPE_TRACKER, "client", client, "poller", poller, NULL);
}

VigilApiClient *
vigil_tracker_get_client (VigilTracker *self)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);

  return self->client;
}

VigilPoller *
vigil_tracker_get_poller (VigilTracker *self)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);

  return self->poller;
}

GListModel *
vigil_tracker_get_jobs (VigilTracker *self)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

/* The name given, else the server's host[:port]. */
const char *
vigil_tracker_get_server_name (VigilTracker *self)
{
  const char *host;

  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);

  if (self->server_name != NULL)
    return self->server_name;
  host = self->poller != NULL ? vigil_poller_get_server_host (self->poller) : NULL;
  return host != NULL ? host : vigil_api_client_get_base_url (self->client);
}

/* Every job, present and future, takes the new name at once. */
void
vigil_tracker_set_server_name (VigilTracker *self,
                               const char   *name)
{
  guint n;

  g_return_if_fail (VIGIL_IS_TRACKER (self));

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->server_name, name) == 0)
    return;
  g_free (self->server_name);
  self->server_name = g_strdup (name);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      vigil_job_set_server_name (job, vigil_tracker_get_server_name (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_NAME]);
}

void
vigil_tracker_start_async (VigilTracker        *self,
                           VigilJobKind         kind,
                           gint64               target_id,
                           gboolean             all_songs,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;

  g_return_if_fail (VIGIL_IS_TRACKER (self));
  g_return_if_fail (kind == VIGIL_JOB_KIND_SONG || kind == VIGIL_JOB_KIND_PLAYLIST ||
                    kind == VIGIL_JOB_KIND_BACKGROUND);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_tracker_start_async);
  data = g_new0 (StartData, 1);
  data->kind = kind;
  data->target_id = target_id;
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);

  switch (kind)
    {
    case VIGIL_JOB_KIND_SONG:
      vigil_api_client_start_song_async (self->client, target_id, cancellable,
                                         on_started, g_steal_pointer (&task));
      break;
    case VIGIL_JOB_KIND_PLAYLIST:
      vigil_api_client_start_playlist_async (self->client, target_id, all_songs, cancellable,
                                             on_started, g_steal_pointer (&task));
      break;
    default:
      vigil_api_client_start_user_async (self->client, target_id, cancellable,
                                         on_started, g_steal_pointer (&task));
      break;
    }
}

VigilJob *
vigil_tracker_start_finish (VigilTracker      *self,
                            GAsyncResult      *res,
                            VigilStartResult **result,
                            GError           **error)
{
  g_autoptr(VigilStartResult) answer = NULL;
  StartData *data;

  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (res, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (res)) == vigil_tracker_start_async, NULL);

  answer = g_task_propagate_pointer (G_TASK (res), error);
  if (answer == NULL)
    return NULL;

  data = g_task_get_task_data (G_TASK (res));
  if (result != NULL)
    *result = g_steal_pointer (&answer);
  return data->job ? g_object_ref (data->job) : NULL;
}

VigilJob *
vigil_tracker_lookup (VigilTracker *self,
                      const char   *job_id)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, job_id);
}

VigilJob *
vigil_tracker_watch (VigilTracker *self,
                     const char   *job_id,
                     VigilJobKind  kind,
                     gint64        target_id)
{
  VigilJob *job;

  g_return_val_if_fail (VIGIL_IS_TRACKER (self), NULL);
  g_return_val_if_fail (job_id != NULL && job_id[0] != '\0', NULL);

  job = g_hash_table_lookup (self->by_id, job_id);
  if (job == NULL)
    return add_job (self, job_id, kind, target_id);

  track_again (self, job);
  return job;
}

void
vigil_tracker_stop_watching (VigilTracker *self,
                             VigilJob     *job)
{
  g_return_if_fail (VIGIL_IS_TRACKER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  if (!vigil_poller_is_tracking (self->poller, job))
    return;

  vigil_poller_untrack (self->poller, job);
  reannounce (self, job);
}

void
vigil_tracker_retry_now (VigilTracker *self,
                         VigilJob     *job)
{
  g_return_if_fail (VIGIL_IS_TRACKER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  if (vigil_poller_is_tracking (self->poller, job))
    vigil_poller_poll_now (self->poller, job);
  else
    track_again (self, job);
}

void
vigil_tracker_remove (VigilTracker *self,
                      VigilJob     *job)
{
  guint position;

  g_return_if_fail (VIGIL_IS_TRACKER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  if (!find_job (self, job, &position))
    return;

  vigil_poller_untrack (self->poller, job);
  g_hash_table_remove (self->by_id, vigil_job_get_job_id (job));
  vigil_job_array_remove (self->jobs, position);
}

guint
vigil_tracker_clear_finished (VigilTracker *self)
{
  guint n_items, removed = 0;

  g_return_val_if_fail (VIGIL_IS_TRACKER (self), 0);

  /* Walk backwards so positions stay valid. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = n_items; i > 0; i--)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);

      if (!vigil_job_get_is_finished (job))
        continue;
      g_hash_table_remove (self->by_id, vigil_job_get_job_id (job));
      vigil_job_array_remove (self->jobs, i - 1);
      removed++;
    }
  return removed;
}
