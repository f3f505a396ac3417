/* vigil-server-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigil-enums.h"

#include "vigil-server-monitor.h"

/* A discovered job absent from this many answered rounds in a row leaves. */
#define DISCOVERED_MISSING_ROUNDS 3
/* A job gone from GET /api/progress is forgotten after this many rounds. */
#define SEEN_FORGET_ROUNDS 100

/* One job of GET /api/progress, for the songs count and the heartbeat rule. */
typedef struct
{
  gint64  completed;
  gint64  total;
  double  fraction;
  guint   missing;    /* rounds in a row without it */
  guint   credited : 1;  /* its remaining items counted when it left */
} SeenJob;

/* The answers of one round. The round outlives the monitor when cancelled:
 * its callbacks look at round->cancellable before touching round->self. */
typedef struct
{
  VigilServerMonitor *self;      /* unowned */
  GCancellable       *cancellable;
  guint               pending;
  VigilQueueStatus   *status;
  VigilQueueHealth   *health;
  VigilWorkerHealth  *worker;
  GPtrArray          *progress;  /* VigilProgress */
  GError             *status_error;
  GError             *health_error;
  GError             *worker_error;
  GError             *progress_error;
  gint64              retry_after_ms;
} Round;

struct _VigilServerMonitor
{
  GObject                  parent_instance;

  VigilApiClient          *client;
  VigilTracker            *tracker;
  VigilServerHistory      *history;
  double                   time_scale;
  guint                    active : 1;
  guint                    auto_watch : 1;
  guint                    failing : 1;
  guint                    heartbeat_stale : 1;
  guint                    refresh_pending : 1;  /* asked during a round: another at once */

  Round                   *round;          /* in flight, or NULL */
  guint                    timeout_id;
  guint64                  rounds;

  VigilQueueCounts         counts;
  VigilJobRecord          *active_job;
  VigilQueueHealth        *queue_health;
  VigilWorkerHealth       *worker;
  VigilWorkerState         worker_state;
  GError                  *last_error;
  VigilMonitorPolicyInput  policy;
  gint64                   streak_start_us;
  gint64                   failing_since_us;
  gint64                   last_update_us;
  gint64                   last_progress_us;
  char                    *current_job_id;
  double                   current_job_fraction;

  GHashTable              *seen;           /* job id → SeenJob */
  GListStore              *discovered;     /* VigilDiscoveredJob */
  GHashTable              *missing;        /* job id → rounds absent (GUINT_TO_POINTER) */
  gulong                   tracker_handler;
  gulong                   token_handler;
  gulong                   cookie_handler;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TRACKER,
  PROP_HISTORY,
  PROP_ACTIVE,
  PROP_AUTO_WATCH,
  PROP_TIME_SCALE,
  PROP_DISCOVERED,
  PROP_FAILING,
  PROP_FAILING_SINCE,
  PROP_LAST_UPDATE,
  PROP_WORKER_STATE,
  PROP_HEARTBEAT_STALE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilServerMonitor, vigil_server_monitor, G_TYPE_OBJECT)

static void start_round (VigilServerMonitor *self);

/* ------------------------------------------------------------------ */
/* Rounds                                                              */
/* ------------------------------------------------------------------ */

static void
round_free (Round *round)
{
  g_clear_object (&round->cancellable);
  g_clear_pointer (&round->status, vigil_queue_status_free);
  g_clear_pointer (&round->health, vigil_queue_health_free);
  g_clear_pointer (&round->worker, vigil_worker_health_free);
  g_clear_pointer (&round->progress, g_ptr_array_unref);
  g_clear_error (&round->status_error);
  g_clear_error (&round->health_error);
  g_clear_error (&round->worker_error);
  g_clear_error (&round->progress_error);
  g_free (round);
}

/* Polling: while the dashboard is shown (`active`), or, slower, while
 * every job on the server is to be watched (`auto-watch`). */
static gboolean
polling (VigilServerMonitor *self)
{
  return self->active || (self->auto_watch && self->tracker != NULL);
}

static void
cancel_round (VigilServerMonitor *self)
{
  if (self->round == NULL)
    return;
  /* its callbacks free it */
  g_cancellable_cancel (self->round->cancellable);
  self->round = NULL;
}

static gboolean
on_timeout (gpointer user_data)
{
  VigilServerMonitor *self = user_data;

  self->timeout_id = 0;
  start_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_round (VigilServerMonitor *self)
{
  double delay_ms;
  guint delay;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!polling (self) || self->round != NULL)
    return;

  delay_ms = vigil_monitor_policy_next_delay_ms (&self->policy);
  /* Only watching for new jobs: a round every VIGIL_MONITOR_WATCH_INTERVAL_MS
   * at most (the failures' back-off still applies beyond it). */
  if (!self->active)
    delay_ms = MAX (delay_ms, VIGIL_MONITOR_WATCH_INTERVAL_MS);
  delay = (guint) MAX (1.0, delay_ms * self->time_scale);
  if (self->refresh_pending)
    delay = 0;
  self->refresh_pending = FALSE;
  self->timeout_id = g_timeout_add (delay, on_timeout, self);
}

/* ------------------------------------------------------------------ */
/* Discovered jobs                                                     */
/* ------------------------------------------------------------------ */

static gboolean
find_discovered (VigilServerMonitor *self,
                 const char         *job_id,
                 guint              *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->discovered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilDiscoveredJob) job = g_list_model_get_item (G_LIST_MODEL (self->discovered), i);

      if (g_strcmp0 (vigil_discovered_job_get_job_id (job), job_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
remove_discovered_at (VigilServerMonitor *self,
                      guint               position)
{
  g_autoptr(VigilDiscoveredJob) job = g_list_model_get_item (G_LIST_MODEL (self->discovered),
                                                             position);

  g_hash_table_remove (self->missing, vigil_discovered_job_get_job_id (job));
  g_list_store_remove (self->discovered, position);
}

static gboolean
is_tracked (VigilServerMonitor *self,
            const char         *job_id)
{
  return self->tracker != NULL && vigil_tracker_lookup (self->tracker, job_id) != NULL;
}

static VigilJob *
watch (VigilServerMonitor *self,
       VigilDiscoveredJob *job)
{
  g_autoptr(VigilDiscoveredJob) keep G_GNUC_UNUSED = g_object_ref (job);   /* for the scope */
  VigilJob *tracked;
  guint position;

  if (self->tracker == NULL)
    return NULL;

  tracked = vigil_tracker_watch (self->tracker, vigil_discovered_job_get_job_id (job),
                                 vigil_discovered_job_get_kind (job),
                                 vigil_discovered_job_get_target_id (job));
  /* the tracker's items-changed usually removed it already */
  if (find_discovered (self, vigil_discovered_job_get_job_id (job), &position))
    remove_discovered_at (self, position);
  return tracked;
}

/* The job with this id, added when new and not tracked; NULL when tracked. */
static VigilDiscoveredJob *
discover (VigilServerMonitor *self,
          const char         *job_id,
          gboolean           *changed)
{
  g_autoptr(VigilDiscoveredJob) job = NULL;
  guint position;

  if (job_id == NULL || is_tracked (self, job_id))
    return NULL;

  g_hash_table_insert (self->missing, g_strdup (job_id), GUINT_TO_POINTER (0));
  if (find_discovered (self, job_id, &position))
    return g_list_model_get_item (G_LIST_MODEL (self->discovered), position);

  job = vigil_discovered_job_new (job_id);
  g_list_store_append (self->discovered, job);
  *changed = TRUE;
  return g_steal_pointer (&job);
}

static void
discover_record (VigilServerMonitor   *self,
                 const VigilJobRecord *record,
                 GHashTable           *present,
                 gboolean             *changed)
{
  g_autoptr(VigilDiscoveredJob) job = NULL;
  guint position;

  if (record == NULL || record->job_id == NULL)
    return;
  /* an ended job is nobody's business any more */
  if (vigil_job_status_is_terminal (record->status))
    {
      if (find_discovered (self, record->job_id, &position))
        {
          remove_discovered_at (self, position);
          *changed = TRUE;
        }
      return;
    }
  job = discover (self, record->job_id, changed);
  if (job == NULL)
    return;
  vigil_discovered_job_apply_record (job, record);
  g_hash_table_add (present, g_strdup (record->job_id));
}

/* Discovered jobs absent from too many answered rounds leave. */
static void
age_discovered (VigilServerMonitor *self,
                GHashTable         *present,
                gboolean           *changed)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->discovered)); i-- > 0;)
    {
      g_autoptr(VigilDiscoveredJob) job = g_list_model_get_item (G_LIST_MODEL (self->discovered), i);
      const char *id = vigil_discovered_job_get_job_id (job);
      guint missing;

      if (g_hash_table_contains (present, id))
        continue;
      missing = GPOINTER_TO_UINT (g_hash_table_lookup (self->missing, id)) + 1;
      if (missing >= DISCOVERED_MISSING_ROUNDS || is_tracked (self, id))
        {
          remove_discovered_at (self, i);
          *changed = TRUE;
        }
      else
        g_hash_table_insert (self->missing, g_strdup (id), GUINT_TO_POINTER (missing));
    }
}

static void
auto_watch_all (VigilServerMonitor *self)
{
  if (!self->auto_watch || self->tracker == NULL)
    return;

  while (g_list_model_get_n_items (G_LIST_MODEL (self->discovered)) > 0)
    {
      g_autoptr(VigilDiscoveredJob) job = g_list_model_get_item (G_LIST_MODEL (self->discovered), 0);

      g_debug ("monitor: auto-watching job %s", vigil_discovered_job_get_job_id (job));
      watch (self, job);
    }
}

/* current_job: the worker's, when current_job_known (the worker answered) */
static gboolean
update_discovered (VigilServerMonitor   *self,
                   Round                *round,
                   gboolean              current_job_known,
                   const VigilJobRecord *current_job)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (self->discovered));
  gboolean changed = FALSE;

  for (guint i = 0; round->progress != NULL && i < round->progress->len; i++)
    {
      const VigilProgress *p = g_ptr_array_index (round->progress, i);
      g_autoptr(VigilDiscoveredJob) job = discover (self, p->job_id, &changed);

      if (job == NULL)
        continue;
      vigil_discovered_job_apply_progress (job, p);
      g_hash_table_add (present, g_strdup (p->job_id));
    }
  discover_record (self, round->status ? round->status->active_job : NULL, present, &changed);
  discover_record (self, current_job, present, &changed);
  /* a round without answers tells nothing of absence */
  if (round->progress != NULL || (round->status != NULL && current_job_known))
    age_discovered (self, present, &changed);

  auto_watch_all (self);
  return changed || before != g_list_model_get_n_items (G_LIST_MODEL (self->discovered));
}

static void
on_tracker_items_changed (GListModel         *jobs,
                          guint               position,
                          guint               removed,
                          guint               added,
                          VigilServerMonitor *self)
{
  gboolean changed = FALSE;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);
      guint found;

      if (find_discovered (self, vigil_job_get_job_id (job), &found))
        {
          remove_discovered_at (self, found);
          changed = TRUE;
        }
    }
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* A new sign-in may be what the server waited for: no need to wait out
 * the slow auth interval. */
static void
on_credentials_changed (VigilApiClient     *client,
                        GParamSpec         *pspec,
                        VigilServerMonitor *self)
{
  if (self->policy.failure == VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN ||
      self->policy.failure == VIGIL_MONITOR_FAILURE_NOT_ADMIN)
    vigil_server_monitor_refresh (self);
}

/* ------------------------------------------------------------------ */
/* Progress seen: the songs count and signs of life                     */
/* ------------------------------------------------------------------ */

/* Songs analyzed since the last round, or -1 when GET /api/progress did
 * not answer. Also notes when a job was last seen progressing. */
static gint64
count_progress (VigilServerMonitor *self,
                Round              *round,
                gint64              now_us)
{
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  gint64 songs = 0;

  if (round->progress == NULL)
    return -1;

  for (guint i = 0; i < round->progress->len; i++)
    {
      const VigilProgress *p = g_ptr_array_index (round->progress, i);
      SeenJob *seen;

      if (p->job_id == NULL)
        continue;
      g_hash_table_add (present, p->job_id);
      seen = g_hash_table_lookup (self->seen, p->job_id);
      if (seen == NULL)
        {
          seen = g_new0 (SeenJob, 1);
          seen->completed = MAX (p->completed_items, 0);
          seen->fraction = p->fraction;
          g_hash_table_insert (self->seen, g_strdup (p->job_id), seen);
        }
      else
        {
          if (p->completed_items > seen->completed)
            {
              songs += p->completed_items - seen->completed;
              seen->completed = p->completed_items;
              self->last_progress_us = now_us;
            }
          if (p->fraction > seen->fraction)
            self->last_progress_us = now_us;
          seen->fraction = MAX (seen->fraction, p->fraction);
        }
      seen->total = MAX (seen->total, p->total_items);
      seen->missing = 0;
    }

  /* a job gone from the list has most likely finished: its last songs */
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SeenJob *seen = value;

      if (g_hash_table_contains (present, key))
        continue;
      if (!seen->credited && seen->total > seen->completed)
        {
          songs += seen->total - seen->completed;
          seen->completed = seen->total;
          self->last_progress_us = now_us;
        }
      seen->credited = TRUE;
      if (++seen->missing > SEEN_FORGET_ROUNDS)
        g_hash_table_iter_remove (&iter);
    }
  return songs;
}

/* The worker's current job moving is a sign of life too (a server
 * without GET /api/progress): its fraction rising, or another job taking
 * its place. What the first answer shows is no sign of anything. */
static void
note_current_job (VigilServerMonitor *self,
                  gboolean            first_answer,
                  gint64              now_us)
{
  const VigilJobRecord *job = self->worker ? self->worker->current_job : NULL;
  const char *id = job ? job->job_id : NULL;
  double fraction = job ? job->fraction : VIGIL_UNKNOWN;

  if (g_strcmp0 (id, self->current_job_id) != 0)
    {
      if (id != NULL && !first_answer)
        self->last_progress_us = now_us;
      g_free (self->current_job_id);
      self->current_job_id = g_strdup (id);
      self->current_job_fraction = fraction;
      return;
    }
  if (id != NULL && fraction > self->current_job_fraction)
    {
      self->current_job_fraction = fraction;
      self->last_progress_us = now_us;
    }
}

/* ------------------------------------------------------------------ */
/* A round's end                                                       */
/* ------------------------------------------------------------------ */

static void
set_failing (VigilServerMonitor *self,
             gboolean            failing)
{
  if (self->failing == (guint) failing)
    return;
  self->failing = failing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING]);
}

static void
set_heartbeat_stale (VigilServerMonitor *self,
                     gboolean            stale)
{
  if (self->heartbeat_stale == (guint) stale)
    return;
  self->heartbeat_stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEARTBEAT_STALE]);
}

static void
set_int64_prop (VigilServerMonitor *self,
                gint64             *field,
                gint64              value,
                int                 prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The worst error of the round: the one that names the trouble best. */
static const GError *
round_error (Round *round)
{
  const GError *errors[] = { round->status_error, round->worker_error, round->health_error };

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    if (errors[i] != NULL &&
        vigil_monitor_failure_from_error (errors[i]) >= VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN)
      return errors[i];
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    if (errors[i] != NULL)
      return errors[i];
  return NULL;
}

static void
apply_failure (VigilServerMonitor *self,
               const GError       *error,
               gint64              retry_after_ms,
               gint64              now_us)
{
  g_clear_error (&self->last_error);
  if (error == NULL)
    {
      self->policy.consecutive_failures = 0;
      self->policy.failure = VIGIL_MONITOR_FAILURE_NONE;
      self->policy.retry_after_ms = -1;
      self->streak_start_us = 0;
    }
  else
    {
      self->last_error = g_error_copy (error);
      if (self->policy.consecutive_failures == 0)
        self->streak_start_us = now_us;
      self->policy.consecutive_failures++;
      self->policy.failure = vigil_monitor_failure_from_error (error);
      self->policy.retry_after_ms = retry_after_ms;
      g_debug ("monitor %s: round failed (%u in a row): %s",
               vigil_api_client_get_base_url (self->client),
               self->policy.consecutive_failures, error->message);
    }

  set_failing (self, vigil_monitor_policy_is_failing (&self->policy));
  set_int64_prop (self, &self->failing_since_us, self->failing ? self->streak_start_us : 0,
                  PROP_FAILING_SINCE);
}

static void
apply_answers (VigilServerMonitor *self,
               Round              *round)
{
  if (round->status != NULL || round->health != NULL)
    vigil_queue_counts_compute (&self->counts, round->status, round->health);
  if (round->status != NULL)
    {
      g_clear_pointer (&self->active_job, vigil_job_record_free);
      self->active_job = round->status->active_job
                         ? vigil_job_record_copy (round->status->active_job) : NULL;
    }
  if (round->health != NULL)
    {
      g_clear_pointer (&self->queue_health, vigil_queue_health_free);
      self->queue_health = g_steal_pointer (&round->health);
    }
  if (round->worker != NULL)
    {
      VigilWorkerState state = vigil_worker_state_from_string (round->worker->status);

      g_clear_pointer (&self->worker, vigil_worker_health_free);
      self->worker = g_steal_pointer (&round->worker);
      if (state != self->worker_state)
        {
          self->worker_state = state;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_STATE]);
        }
    }
}

static void
update_heartbeat (VigilServerMonitor *self,
                  gint64              now_us)
{
  GDateTime *hb = self->worker ? self->worker->last_heartbeat : NULL;
  gint64 hb_us = hb ? g_date_time_to_unix (hb) * G_USEC_PER_SEC + g_date_time_get_microsecond (hb)
                    : 0;

  set_heartbeat_stale (self, vigil_monitor_policy_heartbeat_stale (hb_us, self->last_progress_us,
                                                                   now_us));
}

static void
finish_round (VigilServerMonitor *self,
              Round              *round)
{
  gint64 now_us = g_get_real_time ();
  const GError *error = round_error (round);
  gboolean answered = round->status != NULL || round->worker != NULL || round->health != NULL;
  gboolean first_worker_answer = self->worker == NULL;
  gboolean worker_answered = round->worker != NULL;
  gint64 songs;

  self->round = NULL;
  g_object_freeze_notify (G_OBJECT (self));

  apply_answers (self, round);
  update_discovered (self, round, worker_answered,
                     worker_answered ? self->worker->current_job : NULL);
  songs = count_progress (self, round, now_us);
  if (worker_answered)
    note_current_job (self, first_worker_answer, now_us);
  apply_failure (self, error, round->retry_after_ms, now_us);
  if (error == NULL || answered)
    update_heartbeat (self, now_us);
  if (error == NULL)
    {
      set_int64_prop (self, &self->last_update_us, now_us, PROP_LAST_UPDATE);
      if (self->history != NULL)
        vigil_server_history_record (self->history, now_us, self->counts.pending_jobs, songs);
    }

  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
  schedule_round (self);
}

static void
round_answered (Round *round)
{
  g_assert (round->pending > 0);

  if (--round->pending > 0)
    return;
  if (!g_cancellable_is_cancelled (round->cancellable))
    finish_round (round->self, round);
  round_free (round);
}

static void
note_retry_after (Round        *round,
                  GAsyncResult *result)
{
  round->retry_after_ms = MAX (round->retry_after_ms, vigil_api_result_get_retry_after_ms (result));
}

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Round *round = user_data;

  round->status = vigil_api_client_get_queue_status_finish (VIGIL_API_CLIENT (source), result,
                                                            &round->status_error);
  note_retry_after (round, result);
  round_answered (round);
}

static void
on_health (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Round *round = user_data;

  round->health = vigil_api_client_get_queue_health_finish (VIGIL_API_CLIENT (source), result,
                                                            &round->health_error);
  note_retry_after (round, result);
  round_answered (round);
}

static void
on_worker (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Round *round = user_data;

  round->worker = vigil_api_client_get_worker_health_finish (VIGIL_API_CLIENT (source), result,
                                                             &round->worker_error);
  note_retry_after (round, result);
  round_answered (round);
}

static void
on_progress (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Round *round = user_data;

  round->progress = vigil_api_client_get_active_progress_finish (VIGIL_API_CLIENT (source), result,
                                                                 &round->progress_error);
  round_answered (round);
}

static void
start_round (VigilServerMonitor *self)
{
  Round *round;

  if (!polling (self) || self->round != NULL)
    return;

  round = g_new0 (Round, 1);
  round->self = self;
  round->cancellable = g_cancellable_new ();
  round->pending = 4;
  round->retry_after_ms = -1;
  self->round = round;
  self->rounds++;

  vigil_api_client_get_queue_status_async (self->client, round->cancellable, on_status, round);
  vigil_api_client_get_queue_health_async (self->client, round->cancellable, on_health, round);
  vigil_api_client_get_worker_health_async (self->client, round->cancellable, on_worker, round);
  vigil_api_client_get_active_progress_async (self->client, round->cancellable, on_progress, round);
}

/* ------------------------------------------------------------------ */
/* Cleanup                                                             */
/* ------------------------------------------------------------------ */

static void
on_cleanup (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *message = vigil_api_client_cleanup_finish (VIGIL_API_CLIENT (source), result, &error);

  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_task_return_error_if_cancelled (task))
    {
      vigil_server_monitor_refresh (g_task_get_source_object (task));
      g_task_return_pointer (task, message, g_free);
    }
  else
    g_free (message);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_server_monitor_constructed (GObject *object)
{
  VigilServerMonitor *self = VIGIL_SERVER_MONITOR (object);

  G_OBJECT_CLASS (vigil_server_monitor_parent_class)->constructed (object);

  g_assert (self->client != NULL);
  self->token_handler = g_signal_connect (self->client, "notify::token",
                                          G_CALLBACK (on_credentials_changed), self);
  self->cookie_handler = g_signal_connect (self->client, "notify::cookie",
                                           G_CALLBACK (on_credentials_changed), self);
  if (self->tracker != NULL)
    self->tracker_handler = g_signal_connect (vigil_tracker_get_jobs (self->tracker),
                                              "items-changed",
                                              G_CALLBACK (on_tracker_items_changed), self);
}

static void
vigil_server_monitor_dispose (GObject *object)
{
  VigilServerMonitor *self = VIGIL_SERVER_MONITOR (object);

  cancel_round (self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->tracker != NULL)
    g_clear_signal_handler (&self->tracker_handler, vigil_tracker_get_jobs (self->tracker));
  if (self->history != NULL)
    vigil_server_history_save (self->history, NULL);
  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->token_handler, self->client);
      g_clear_signal_handler (&self->cookie_handler, self->client);
    }
  g_clear_object (&self->tracker);
  g_clear_object (&self->history);
  g_clear_object (&self->client);
  if (self->discovered != NULL)
    g_list_store_remove_all (self->discovered);

  G_OBJECT_CLASS (vigil_server_monitor_parent_class)->dispose (object);
}

static void
vigil_server_monitor_finalize (GObject *object)
{
  VigilServerMonitor *self = VIGIL_SERVER_MONITOR (object);

  g_clear_object (&self->discovered);
  g_clear_pointer (&self->active_job, vigil_job_record_free);
  g_clear_pointer (&self->queue_health, vigil_queue_health_free);
  g_clear_pointer (&self->worker, vigil_worker_health_free);
  g_clear_error (&self->last_error);
  g_free (self->current_job_id);
  g_hash_table_unref (self->seen);
  g_hash_table_unref (self->missing);

  G_OBJECT_CLASS (vigil_server_monitor_parent_class)->finalize (object);
}

static void
vigil_server_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VigilServerMonitor *self = VIGIL_SERVER_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_TRACKER: g_value_set_object (value, self->tracker); break;
    case PROP_HISTORY: g_value_set_object (value, self->history); break;
    case PROP_ACTIVE: g_value_set_boolean (value, self->active); break;
    case PROP_AUTO_WATCH: g_value_set_boolean (value, self->auto_watch); break;
    case PROP_TIME_SCALE: g_value_set_double (value, self->time_scale); break;
    case PROP_DISCOVERED: g_value_set_object (value, self->discovered); break;
    case PROP_FAILING: g_value_set_boolean (value, self->failing); break;
    case PROP_FAILING_SINCE: g_value_set_int64 (value, self->failing_since_us); break;
    case PROP_LAST_UPDATE: g_value_set_int64 (value, self->last_update_us); break;
    case PROP_WORKER_STATE: g_value_set_int (value, self->worker_state); break;
    case PROP_HEARTBEAT_STALE: g_value_set_boolean (value, self->heartbeat_stale); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_server_monitor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  VigilServerMonitor *self = VIGIL_SERVER_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT: self->client = g_value_dup_object (value); break;
    case PROP_TRACKER: self->tracker = g_value_dup_object (value); break;
    case PROP_HISTORY: self->history = g_value_dup_object (value); break;
    case PROP_ACTIVE: vigil_server_monitor_set_active (self, g_value_get_boolean (value)); break;
    case PROP_AUTO_WATCH:
      vigil_server_monitor_set_auto_watch (self, g_value_get_boolean (value));
      break;
    case PROP_TIME_SCALE:
      vigil_server_monitor_set_time_scale (self, g_value_get_double (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_server_monitor_class_init (VigilServerMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = vigil_server_monitor_constructed;
  object_class->dispose = vigil_server_monitor_dispose;
  object_class->finalize = vigil_server_monitor_finalize;
  object_class->get_property = vigil_server_monitor_get_property;
  object_class->set_property = vigil_server_monitor_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, VIGIL_TYPE_API_CLIENT, co);
  properties[PROP_TRACKER] = g_param_spec_object ("tracker", NULL, NULL, VIGIL_TYPE_TRACKER, co);
  properties[PROP_HISTORY] = g_param_spec_object ("history", NULL, NULL,
                                                  VIGIL_TYPE_SERVER_HISTORY, co);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, rw);
  properties[PROP_AUTO_WATCH] = g_param_spec_boolean ("auto-watch", NULL, NULL, FALSE, rw);
  properties[PROP_TIME_SCALE] = g_param_spec_double ("time-scale", NULL, NULL, 1e-6, 1e6, 1.0, rw);
  properties[PROP_DISCOVERED] = g_param_spec_object ("discovered", NULL, NULL,
                                                     G_TYPE_LIST_MODEL, ro);
  properties[PROP_FAILING] = g_param_spec_boolean ("failing", NULL, NULL, FALSE, ro);
  properties[PROP_FAILING_SINCE] = g_param_spec_int64 ("failing-since", NULL, NULL,
                                                       0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_UPDATE] = g_param_spec_int64 ("last-update", NULL, NULL,
                                                     0, G_MAXINT64, 0, ro);
  properties[PROP_WORKER_STATE] = g_param_spec_int ("worker-state", NULL, NULL,
                                                    VIGIL_WORKER_STATE_UNKNOWN,
                                                    VIGIL_WORKER_STATE_NOT_RUNNING,
                                                    VIGIL_WORKER_STATE_UNKNOWN, ro);
  properties[PROP_HEARTBEAT_STALE] = g_param_spec_boolean ("heartbeat-stale", NULL, NULL,
                                                           FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_server_monitor_init (VigilServerMonitor *self)
{
  self->time_scale = 1.0;
  self->policy.retry_after_ms = -1;
  self->current_job_fraction = VIGIL_UNKNOWN;
  vigil_queue_counts_init_unknown (&self->counts);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->discovered = g_list_store_new (VIGIL_TYPE_DISCOVERED_JOB);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilServerMonitor *
vigil_server_monitor_new (VigilApiClient     *client,
                          VigilTracker       *tracker,
                          VigilServerHistory *history)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (tracker == NULL || VIGIL_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (history == NULL || VIGIL_IS_SERVER_HISTORY (history), NULL);

  return g_object_new (VIGIL_TYPE_SERVER_MONITOR,
                       "client", client, "tracker", tracker, "history", history, NULL);
}

#define GETTER(type, name, expr, fallback)                               \
  type                                                                   \
  vigil_server_monitor_get_##name (VigilServerMonitor *self)             \
  {                                                                      \
    g_return_val_if_fail (VIGIL_IS_SERVER_MONITOR (self), fallback);     \
    return expr;                                                         \
  }

GETTER (VigilApiClient *, client, self->client, NULL)
GETTER (VigilTracker *, tracker, self->tracker, NULL)
GETTER (VigilServerHistory *, history, self->history, NULL)
GETTER (gboolean, active, self->active, FALSE)
GETTER (gboolean, auto_watch, self->auto_watch, FALSE)
GETTER (double, time_scale, self->time_scale, 1.0)
GETTER (const VigilQueueCounts *, counts, &self->counts, NULL)
GETTER (VigilJobRecord *, active_job, self->active_job, NULL)
GETTER (VigilQueueHealth *, queue_health, self->queue_health, NULL)
GETTER (VigilWorkerHealth *, worker, self->worker, NULL)
GETTER (VigilWorkerState, worker_state, self->worker_state, VIGIL_WORKER_STATE_UNKNOWN)
GETTER (gboolean, heartbeat_stale, self->heartbeat_stale, FALSE)
GETTER (const GError *, last_error, self->last_error, NULL)
GETTER (gboolean, failing, self->failing, FALSE)
GETTER (gint64, failing_since, self->failing_since_us, 0)
GETTER (gint64, last_update, self->last_update_us, 0)
GETTER (guint, next_delay_ms, vigil_monitor_policy_next_delay_ms (&self->policy), 0)
GETTER (guint64, rounds, self->rounds, 0)
GETTER (GListModel *, discovered, G_LIST_MODEL (self->discovered), NULL)

void
vigil_server_monitor_set_active (VigilServerMonitor *self,
                                 gboolean            active)
{
  g_return_if_fail (VIGIL_IS_SERVER_MONITOR (self));

  active = active != FALSE;
  if (self->active == (guint) active)
    return;

  self->active = active;
  g_debug ("monitor %s: %s", vigil_api_client_get_base_url (self->client),
           active ? "active" : polling (self) ? "watching for new jobs" : "inactive");
  if (active)
    {
      /* shown: the dashboard's values now, not at the next slow round */
      cancel_round (self);
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      start_round (self);
    }
  else
    {
      if (!polling (self))
        {
          cancel_round (self);
          g_clear_handle_id (&self->timeout_id, g_source_remove);
        }
      else
        schedule_round (self);
      if (self->history != NULL)
        vigil_server_history_save (self->history, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

void
vigil_server_monitor_set_auto_watch (VigilServerMonitor *self,
                                     gboolean            auto_watch)
{
  g_return_if_fail (VIGIL_IS_SERVER_MONITOR (self));

  auto_watch = auto_watch != FALSE;
  if (self->auto_watch == (guint) auto_watch)
    return;

  self->auto_watch = auto_watch;
  auto_watch_all (self);
  if (!self->active)
    {
      if (polling (self))
        start_round (self);
      else
        {
          cancel_round (self);
          g_clear_handle_id (&self->timeout_id, g_source_remove);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_WATCH]);
}

void
vigil_server_monitor_set_time_scale (VigilServerMonitor *self,
                                     double              time_scale)
{
  g_return_if_fail (VIGIL_IS_SERVER_MONITOR (self));
  g_return_if_fail (time_scale > 0);

  if (self->time_scale == time_scale)
    return;
  self->time_scale = time_scale;
  schedule_round (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_SCALE]);
}

void
vigil_server_monitor_refresh (VigilServerMonitor *self)
{
  g_return_if_fail (VIGIL_IS_SERVER_MONITOR (self));

  if (!polling (self))
    return;
  /* what is in flight may have been sent before what changed */
  if (self->round != NULL)
    {
      self->refresh_pending = TRUE;
      return;
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  start_round (self);
}

VigilJob *
vigil_server_monitor_watch (VigilServerMonitor *self,
                            VigilDiscoveredJob *job)
{
  VigilJob *tracked;

  g_return_val_if_fail (VIGIL_IS_SERVER_MONITOR (self), NULL);
  g_return_val_if_fail (VIGIL_IS_DISCOVERED_JOB (job), NULL);

  tracked = watch (self, job);
  g_signal_emit (self, signals[CHANGED], 0);
  return tracked;
}

void
vigil_server_monitor_cleanup_async (VigilServerMonitor  *self,
                                    int                  max_age_hours,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (VIGIL_IS_SERVER_MONITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_server_monitor_cleanup_async);

  if (!vigil_monitor_policy_check_max_age (max_age_hours, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  vigil_api_client_cleanup_async (self->client, max_age_hours, cancellable, on_cleanup,
                                  g_steal_pointer (&task));
}

char *
vigil_server_monitor_cleanup_finish (VigilServerMonitor  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_MONITOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_server_monitor_cleanup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
