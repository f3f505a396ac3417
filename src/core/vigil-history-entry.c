/* vigil-history-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-enums.h"

#include "vigil-history-entry.h"

struct _VigilHistoryEntry
{
  GObject       parent_instance;

  char         *server;
  char         *job_id;
  VigilJobKind  kind;
  gint64        target_id;
  char         *title;
  VigilOutcome  outcome;
  GDateTime    *finished_at;
  double        duration;
  char         *error_message;
};

enum {
  PROP_0,
  PROP_SERVER,
  PROP_JOB_ID,
  PROP_KIND,
  PROP_TARGET_ID,
  PROP_TITLE,
  PROP_OUTCOME,
  PROP_FINISHED_AT,
  PROP_DURATION,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (VigilOutcome, vigil_outcome,
  G_DEFINE_ENUM_VALUE (VIGIL_OUTCOME_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (VIGIL_OUTCOME_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (VIGIL_OUTCOME_LOST, "lost"),
  G_DEFINE_ENUM_VALUE (VIGIL_OUTCOME_NOT_FOUND, "not-found"))

G_DEFINE_FINAL_TYPE (VigilHistoryEntry, vigil_history_entry, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static VigilOutcome
outcome_of_job (VigilJob *job)
{
  g_assert (VIGIL_IS_JOB (job));

  switch (vigil_job_get_server_state (job))
    {
    case VIGIL_SERVER_STATE_SUCCEEDED:
      return VIGIL_OUTCOME_COMPLETED;
    case VIGIL_SERVER_STATE_FAILED:
      return VIGIL_OUTCOME_FAILED;
    case VIGIL_SERVER_STATE_LOST:
    case VIGIL_SERVER_STATE_QUEUED:
    case VIGIL_SERVER_STATE_RUNNING:
    default:
      /* A job the server never told a creation or start time of was never
       * known to it: a mistyped or foreign id. */
      if (vigil_job_get_created_at (job) == NULL && vigil_job_get_started_at (job) == NULL)
        return VIGIL_OUTCOME_NOT_FOUND;
      return VIGIL_OUTCOME_LOST;
    }
}

/* Seconds from the start the server gave to the end Vigil saw; unknown
 * when either is missing, or when clocks disagree so much that it would
 * be negative or absurd. */
static double
duration_of_job (VigilJob  *job,
                 GDateTime *finished_at)
{
  GDateTime *started_at = vigil_job_get_started_at (job);
  double seconds;

  g_assert (VIGIL_IS_JOB (job));

  if (started_at == NULL || finished_at == NULL)
    return VIGIL_UNKNOWN;

  seconds = (double) g_date_time_difference (finished_at, started_at) / G_USEC_PER_SEC;
  if (seconds < 0 || seconds > VIGIL_MAX_SECONDS)
    return VIGIL_UNKNOWN;
  return seconds;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_history_entry_finalize (GObject *object)
{
  VigilHistoryEntry *self = VIGIL_HISTORY_ENTRY (object);

  g_free (self->server);
  g_free (self->job_id);
  g_free (self->title);
  g_clear_pointer (&self->finished_at, g_date_time_unref);
  g_free (self->error_message);

  G_OBJECT_CLASS (vigil_history_entry_parent_class)->finalize (object);
}

static void
vigil_history_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VigilHistoryEntry *self = VIGIL_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TARGET_ID:
      g_value_set_int64 (value, self->target_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, self->outcome);
      break;
    case PROP_FINISHED_AT:
      g_value_set_boxed (value, self->finished_at);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_history_entry_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VigilHistoryEntry *self = VIGIL_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_string (value);
      break;
    case PROP_JOB_ID:
      self->job_id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_TARGET_ID:
      self->target_id = g_value_get_int64 (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_OUTCOME:
      self->outcome = g_value_get_enum (value);
      break;
    case PROP_FINISHED_AT:
      self->finished_at = g_value_dup_boxed (value);
      break;
    case PROP_DURATION:
      self->duration = g_value_get_double (value);
      break;
    case PROP_ERROR_MESSAGE:
      self->error_message = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_history_entry_class_init (VigilHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vigil_history_entry_finalize;
  object_class->get_property = vigil_history_entry_get_property;
  object_class->set_property = vigil_history_entry_set_property;

  properties[PROP_SERVER] = g_param_spec_string ("server", NULL, NULL, NULL, flags);
  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, VIGIL_TYPE_JOB_KIND, VIGIL_JOB_KIND_UNKNOWN, flags);
  properties[PROP_TARGET_ID] =
    g_param_spec_int64 ("target-id", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, VIGIL_TYPE_OUTCOME, VIGIL_OUTCOME_COMPLETED, flags);
  properties[PROP_FINISHED_AT] =
    g_param_spec_boxed ("finished-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, VIGIL_UNKNOWN, G_MAXDOUBLE, VIGIL_UNKNOWN, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_history_entry_init (VigilHistoryEntry *self)
{
  self->target_id = -1;
  self->duration = VIGIL_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilHistoryEntry *
vigil_history_entry_new (const char   *server,
                         const char   *job_id,
                         VigilJobKind  kind,
                         gint64        target_id,
                         const char   *title,
                         VigilOutcome  outcome,
                         GDateTime    *finished_at,
                         double        duration,
                         const char   *error_message)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  return g_object_new (VIGIL_TYPE_HISTORY_ENTRY,
                       "server", server,
                       "job-id", job_id,
                       "kind", kind,
                       "target-id", MAX (target_id, -1),
                       "title", title,
                       "outcome", outcome,
                       "finished-at", finished_at,
                       "duration", duration >= 0 ? duration : VIGIL_UNKNOWN,
                       "error-message", error_message,
                       NULL);
}

VigilHistoryEntry *
vigil_history_entry_new_for_job (VigilJob   *job,
                                 const char *server,
                                 gboolean    end_seen)
{
  g_autoptr(GDateTime) finished_at = NULL;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);
  g_return_val_if_fail (server != NULL, NULL);

  finished_at = vigil_job_get_finished_at (job) != NULL
                ? g_date_time_ref (vigil_job_get_finished_at (job))
                : g_date_time_new_now_utc ();

  return vigil_history_entry_new (server,
                                  vigil_job_get_job_id (job),
                                  vigil_job_get_kind (job),
                                  vigil_job_get_target_id (job),
                                  vigil_job_get_title (job),
                                  outcome_of_job (job),
                                  finished_at,
                                  end_seen ? duration_of_job (job, finished_at) : VIGIL_UNKNOWN,
                                  vigil_job_get_error_message (job));
}

const char *
vigil_history_entry_get_server (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), NULL);

  return self->server;
}

const char *
vigil_history_entry_get_job_id (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), NULL);

  return self->job_id;
}

VigilJobKind
vigil_history_entry_get_kind (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), VIGIL_JOB_KIND_UNKNOWN);

  return self->kind;
}

gint64
vigil_history_entry_get_target_id (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), -1);

  return self->target_id;
}

const char *
vigil_history_entry_get_title (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), NULL);

  return self->title;
}

VigilOutcome
vigil_history_entry_get_outcome (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), VIGIL_OUTCOME_COMPLETED);

  return self->outcome;
}

GDateTime *
vigil_history_entry_get_finished_at (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), NULL);

  return self->finished_at;
}

double
vigil_history_entry_get_duration (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), VIGIL_UNKNOWN);

  return self->duration;
}

const char *
vigil_history_entry_get_error_message (VigilHistoryEntry *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (self), NULL);

  return self->error_message;
}

int
vigil_history_entry_compare_newest (gconstpointer a,
                                    gconstpointer b,
                                    gpointer      user_data)
{
  GDateTime *ta = vigil_history_entry_get_finished_at ((VigilHistoryEntry *) a);
  GDateTime *tb = vigil_history_entry_get_finished_at ((VigilHistoryEntry *) b);

  if (ta == NULL || tb == NULL)
    return (ta == NULL) - (tb == NULL);
  return g_date_time_compare (tb, ta);
}
