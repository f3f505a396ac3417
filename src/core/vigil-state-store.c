/* vigil-state-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vigil-state-dir.h"

#include "vigil-state-store.h"

/* A stream of changes delays a save by at most this many times delay-ms. */
#define MAX_DELAY_FACTOR 10

struct _VigilStateStore
{
  GObject        parent_instance;

  VigilTracker  *tracker;
  char          *server;         /* the tracker's base URL */
  char          *directory;      /* NULL: in memory */
  char          *file_name;      /* in directory: state.json by default */
  char          *path;
  guint          delay_ms;

  GListStore    *history;        /* VigilHistoryEntry, newest first */
  GPtrArray     *cleared;        /* the last clear's entries, for undo */
  GPtrArray     *foreign_jobs;   /* VigilStateJob of other servers, kept as read */
  GHashTable    *saved;          /* job id → VigilStateJob as last written */
  GHashTable    *to_check;       /* ids of jobs a server answered about since */

  guint          save_source;
  gint64         first_change_us;
  gulong         finished_handler;
  gulong         items_handler;
  gulong         tracked_handler;
  gulong         progress_handler;
  gulong         record_handler;
  guint          loaded : 1;
  guint          dirty : 1;
  guint          read_only : 1;  /* a corrupt file could not be moved aside */
};

enum {
  PROP_0,
  PROP_TRACKER,
  PROP_DIRECTORY,
  PROP_FILE_NAME,
  PROP_DELAY_MS,
  PROP_HISTORY,
  N_PROPS
};

enum {
  SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilStateStore, vigil_state_store, G_TYPE_OBJECT)

/* Set on a job once a server answer showed it queued or running: then its
 * end is seen as it happens, and its duration is known. */
static GQuark
alive_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("vigil-state-store-alive");
  return quark;
}

static gboolean save_now (VigilStateStore *self,
                          GError         **error);

/* ------------------------------------------------------------------ */
/* Scheduling saves                                                    */
/* ------------------------------------------------------------------ */

static gboolean
on_save_timeout (gpointer user_data)
{
  VigilStateStore *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;
  if (!save_now (self, &error))
    {
      g_debug ("saving %s failed: %s", self->path, error->message);
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
    }
  return G_SOURCE_REMOVE;
}

/* restart: a change, which pushes the save back (up to the limit); a mere
 * check leaves a pending save where it is. */
static void
schedule_save (VigilStateStore *self,
               gboolean         restart)
{
  gint64 now = g_get_monotonic_time ();
  gint64 limit_us = (gint64) self->delay_ms * 1000 * MAX_DELAY_FACTOR;

  if (!self->loaded || self->read_only || self->path == NULL)
    return;

  if (self->save_source != 0)
    {
      if (!restart || now + (gint64) self->delay_ms * 1000 > self->first_change_us + limit_us)
        return;
      g_clear_handle_id (&self->save_source, g_source_remove);
    }
  else
    self->first_change_us = now;

  self->save_source = g_timeout_add (self->delay_ms, on_save_timeout, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->save_source),
                            "[vigil] state save");
}

static void
mark_changed (VigilStateStore *self)
{
  self->dirty = TRUE;
  schedule_save (self, TRUE);
}

/* ------------------------------------------------------------------ */
/* Jobs ↔ saved jobs                                                   */
/* ------------------------------------------------------------------ */

static VigilStateJob *
state_job_for (VigilStateStore *self,
               VigilJob        *job)
{
  VigilStateJob *saved = vigil_state_job_new ();
  GDateTime *created_at = vigil_job_get_created_at (job);
  GDateTime *started_at = vigil_job_get_started_at (job);

  saved->server = g_strdup (self->server);
  saved->job_id = g_strdup (vigil_job_get_job_id (job));
  saved->kind = vigil_job_get_kind (job);
  saved->target_id = vigil_job_get_target_id (job);
  saved->title = g_strdup (vigil_job_get_title (job));
  saved->created_at = created_at != NULL ? g_date_time_ref (created_at) : NULL;
  saved->started_at = started_at != NULL ? g_date_time_ref (started_at) : NULL;
  saved->state = vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED
                 ? VIGIL_SERVER_STATE_QUEUED : VIGIL_SERVER_STATE_RUNNING;
  saved->stopped = vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_STOPPED;
  return saved;
}

/* Whether a job that a server answered about now differs from the file. */
static gboolean
checked_jobs_changed (VigilStateStore *self)
{
  GHashTableIter iter;
  const char *job_id;

  g_hash_table_iter_init (&iter, self->to_check);
  while (g_hash_table_iter_next (&iter, (gpointer *) &job_id, NULL))
    {
      VigilJob *job = vigil_tracker_lookup (self->tracker, job_id);
      VigilStateJob *saved = g_hash_table_lookup (self->saved, job_id);
      g_autoptr(VigilStateJob) now = NULL;

      if (job == NULL || vigil_job_get_is_finished (job))
        continue;   /* removal and finishing are changes of their own */
      if (saved == NULL)
        return TRUE;
      now = state_job_for (self, job);
      if (!vigil_state_job_equal (now, saved))
        return TRUE;
    }
  return FALSE;
}

static VigilState *
build_state (VigilStateStore *self)
{
  VigilState *state = vigil_state_new ();
  GListModel *jobs = vigil_tracker_get_jobs (self->tracker);
  guint n_history = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  for (guint i = 0; i < self->foreign_jobs->len; i++)
    g_ptr_array_add (state->jobs, vigil_state_job_copy (g_ptr_array_index (self->foreign_jobs, i)));

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      if (!vigil_job_get_is_finished (job))
        g_ptr_array_add (state->jobs, state_job_for (self, job));
    }

  for (guint i = 0; i < n_history; i++)
    g_ptr_array_add (state->history, g_list_model_get_item (G_LIST_MODEL (self->history), i));

  return state;
}

static void
remember_saved (VigilStateStore  *self,
                const VigilState *state)
{
  g_hash_table_remove_all (self->saved);
  for (guint i = self->foreign_jobs->len; i < state->jobs->len; i++)
    {
      VigilStateJob *job = vigil_state_job_copy (g_ptr_array_index (state->jobs, i));

      g_hash_table_replace (self->saved, job->job_id, job);
    }
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static gboolean
write_file (VigilStateStore  *self,
            const char       *data,
            gsize             length,
            GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_WRITE,
                   /* Translators: %s is a folder, then why it could not be made */
                   _("Could not save the watched jobs: could not create %s: %s"),
                   self->directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* A temporary file renamed over the old one: a reader, or a crash,
   * sees the old file or the new one, never a mixture. */
  if (!g_file_set_contents_full (self->path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_WRITE,
                   _("Could not save the watched jobs: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_now (VigilStateStore  *self,
          GError          **error)
{
  g_autoptr(VigilState) state = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!self->loaded || self->read_only || self->path == NULL)
    return TRUE;

  if (checked_jobs_changed (self))
    self->dirty = TRUE;
  g_hash_table_remove_all (self->to_check);
  if (!self->dirty)
    return TRUE;

  state = build_state (self);
  data = vigil_state_file_serialize (state, &length);
  if (!write_file (self, data, length, error))
    return FALSE;

  g_debug ("saved %u jobs and %u finished ones to %s", state->jobs->len, state->history->len,
           self->path);
  self->dirty = FALSE;
  remember_saved (self, state);
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* History                                                             */
/* ------------------------------------------------------------------ */

static gboolean
same_job (VigilHistoryEntry *a,
          VigilHistoryEntry *b)
{
  return g_str_equal (vigil_history_entry_get_job_id (a), vigil_history_entry_get_job_id (b)) &&
         g_str_equal (vigil_history_entry_get_server (a), vigil_history_entry_get_server (b));
}

static gboolean
find_entry (VigilStateStore   *self,
            VigilHistoryEntry *entry,
            guint             *position)
{
  GListModel *model = G_LIST_MODEL (self->history);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VigilHistoryEntry) other = g_list_model_get_item (model, i);

      if (same_job (entry, other))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
trim_history (VigilStateStore *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  if (n > VIGIL_STATE_HISTORY_MAX)
    g_list_store_splice (self->history, VIGIL_STATE_HISTORY_MAX, n - VIGIL_STATE_HISTORY_MAX,
                         NULL, 0);
}

/* A job that ends again (the server knew a lost one again) keeps one entry:
 * the newest. */
static void
add_to_history (VigilStateStore   *self,
                VigilHistoryEntry *entry,
                gboolean           replace)
{
  guint position;

  if (find_entry (self, entry, &position))
    {
      if (!replace)
        return;
      g_list_store_remove (self->history, position);
    }
  g_list_store_insert_sorted (self->history, entry, vigil_history_entry_compare_newest, NULL);
  trim_history (self);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/* NULL without an error when there is no file. */
static VigilState *
read_file (VigilStateStore  *self,
           GError          **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  data = vigil_state_dir_read (self->path, VIGIL_STATE_FILE_MAX_SIZE, &length, error);
  if (data == NULL)
    return NULL;

  return vigil_state_file_parse (data, length, error);
}

/* Replaces *error (why the file is unusable) with what the user needs to
 * know: that, where the file went, and that Vigil starts empty. */
static void
set_aside (VigilStateStore  *self,
           GError          **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *moved_to = vigil_state_dir_move_aside (self->path, &move_error);
  g_autofree char *name = moved_to != NULL ? g_path_get_basename (moved_to) : NULL;
  g_autofree char *reason = g_strdup ((*error)->message);

  /* A toast shows the first line only: the conclusion comes first. */
  g_clear_pointer (&(*error)->message, g_free);
  if (moved_to != NULL)
    /* Translators: the first %s says why the file is unusable, the second is
     * a file name */
    (*error)->message = g_strdup_printf (_("Starting with no saved jobs. %s; it was kept as %s."),
                                         reason, name);
  else
    {
      self->read_only = TRUE;
      /* Translators: the first %s says why the file is unusable, the second why
       * it could not be renamed */
      (*error)->message = g_strdup_printf (_("Not saving jobs until Vigil restarts. %s, and it "
                                             "could not be moved aside: %s."),
                                           reason, move_error->message);
    }
  g_debug ("state file %s set aside as %s", self->path, moved_to ? moved_to : "(not moved)");
}

/* A saved job back into the tracker, as it was last known. */
static void
restore_job (VigilStateStore     *self,
             const VigilStateJob *saved)
{
  g_autoptr(VigilJobRecord) record = NULL;
  VigilJob *job;

  /* Already watched (twice in the file, or tracked before loading): what
   * the job knows now is fresher than the file. */
  if (vigil_tracker_lookup (self->tracker, saved->job_id) != NULL)
    return;

  job = vigil_tracker_watch (self->tracker, saved->job_id, saved->kind, saved->target_id);

  record = vigil_job_record_new ();
  record->job_id = g_strdup (saved->job_id);
  record->kind = saved->kind;
  record->target_id = saved->target_id;
  record->status = saved->state == VIGIL_SERVER_STATE_RUNNING ? VIGIL_JOB_STATUS_IN_PROGRESS
                                                              : VIGIL_JOB_STATUS_PENDING;
  record->created_at = saved->created_at != NULL ? g_date_time_ref (saved->created_at) : NULL;
  record->started_at = saved->started_at != NULL ? g_date_time_ref (saved->started_at) : NULL;
  vigil_job_apply_record (job, record, g_get_monotonic_time ());

  /* The names behind a title are not saved: a title that the job would not
   * make itself stays until the server names the song or playlist again. */
  if (saved->title != NULL && g_strcmp0 (saved->title, vigil_job_get_title (job)) != 0)
    vigil_job_set_title (job, saved->title);

  if (saved->stopped)
    vigil_tracker_stop_watching (self->tracker, job);
}

static void
restore (VigilStateStore *self,
         VigilState      *state)
{
  for (guint i = 0; i < state->jobs->len; i++)
    {
      VigilStateJob *saved = g_ptr_array_index (state->jobs, i);

      if (g_str_equal (saved->server, self->server))
        restore_job (self, saved);
      else
        g_ptr_array_add (self->foreign_jobs, vigil_state_job_copy (saved));
    }

  for (guint i = 0; i < state->history->len; i++)
    add_to_history (self, g_ptr_array_index (state->history, i), FALSE);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_job_finished (VigilTracker    *tracker,
                 VigilJob        *job,
                 VigilStateStore *self)
{
  gboolean end_seen = g_object_get_qdata (G_OBJECT (job), alive_quark ()) != NULL;
  g_autoptr(VigilHistoryEntry) entry = vigil_history_entry_new_for_job (job, self->server,
                                                                         end_seen);

  add_to_history (self, entry, TRUE);
  mark_changed (self);
}

static void
on_jobs_changed (GListModel      *jobs,
                 guint            position,
                 guint            removed,
                 guint            added,
                 VigilStateStore *self)
{
  mark_changed (self);
}

static void
on_n_tracked (VigilPoller     *poller,
              GParamSpec      *pspec,
              VigilStateStore *self)
{
  mark_changed (self);
}

/* A server answered about a job: what it says reaches the job right after
 * this; look at the job when the save is due. */
static void
heard_about (VigilStateStore *self,
             const char      *job_id,
             gboolean         alive)
{
  VigilJob *job = vigil_tracker_lookup (self->tracker, job_id);

  if (job == NULL)
    return;

  if (alive)
    g_object_set_qdata (G_OBJECT (job), alive_quark (), GINT_TO_POINTER (TRUE));
  if (self->loaded && self->path != NULL)
    {
      g_hash_table_add (self->to_check, g_strdup (job_id));
      schedule_save (self, FALSE);
    }
}

static void
on_progress_read (VigilApiClient  *client,
                  const char      *job_id,
                  VigilProgress   *progress,
                  VigilStateStore *self)
{
  heard_about (self, job_id, !vigil_progress_is_terminal (progress));
}

static void
on_record_read (VigilApiClient  *client,
                const char      *job_id,
                VigilJobRecord  *record,
                VigilStateStore *self)
{
  heard_about (self, job_id, record->status == VIGIL_JOB_STATUS_PENDING ||
                             record->status == VIGIL_JOB_STATUS_IN_PROGRESS);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_state_store_constructed (GObject *object)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);
  VigilApiClient *client = vigil_tracker_get_client (self->tracker);

  G_OBJECT_CLASS (vigil_state_store_parent_class)->constructed (object);

  self->server = g_strdup (vigil_api_client_get_base_url (client));
  if (self->directory != NULL)
    self->path = g_build_filename (self->directory,
                                  self->file_name != NULL ? self->file_name
                                                          : VIGIL_STATE_STORE_FILE_NAME,
                                  NULL);

  self->finished_handler = g_signal_connect (self->tracker, "job-finished",
                                             G_CALLBACK (on_job_finished), self);
  self->items_handler = g_signal_connect (vigil_tracker_get_jobs (self->tracker), "items-changed",
                                          G_CALLBACK (on_jobs_changed), self);
  self->tracked_handler = g_signal_connect (vigil_tracker_get_poller (self->tracker),
                                            "notify::n-tracked", G_CALLBACK (on_n_tracked), self);
  self->progress_handler = g_signal_connect (client, "progress-read",
                                             G_CALLBACK (on_progress_read), self);
  self->record_handler = g_signal_connect (client, "job-record-read",
                                           G_CALLBACK (on_record_read), self);
}

static void
vigil_state_store_dispose (GObject *object)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->tracker != NULL)
    {
      VigilApiClient *client = vigil_tracker_get_client (self->tracker);

      g_clear_signal_handler (&self->finished_handler, self->tracker);
      g_clear_signal_handler (&self->items_handler, vigil_tracker_get_jobs (self->tracker));
      g_clear_signal_handler (&self->tracked_handler, vigil_tracker_get_poller (self->tracker));
      g_clear_signal_handler (&self->progress_handler, client);
      g_clear_signal_handler (&self->record_handler, client);
    }
  g_clear_object (&self->tracker);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (vigil_state_store_parent_class)->dispose (object);
}

static void
vigil_state_store_finalize (GObject *object)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);

  g_free (self->server);
  g_free (self->directory);
  g_free (self->file_name);
  g_free (self->path);
  g_clear_pointer (&self->cleared, g_ptr_array_unref);
  g_clear_pointer (&self->foreign_jobs, g_ptr_array_unref);
  g_clear_pointer (&self->saved, g_hash_table_unref);
  g_clear_pointer (&self->to_check, g_hash_table_unref);

  G_OBJECT_CLASS (vigil_state_store_parent_class)->finalize (object);
}

static void
vigil_state_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);

  switch (prop_id)
    {
    case PROP_TRACKER:
      g_value_set_object (value, self->tracker);
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_DELAY_MS:
      g_value_set_uint (value, self->delay_ms);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_state_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigilStateStore *self = VIGIL_STATE_STORE (object);

  switch (prop_id)
    {
    case PROP_TRACKER:
      self->tracker = g_value_dup_object (value);
      break;
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    case PROP_FILE_NAME:
      self->file_name = g_value_dup_string (value);
      break;
    case PROP_DELAY_MS:
      if (self->delay_ms != g_value_get_uint (value))
        {
          self->delay_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_state_store_class_init (VigilStateStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_state_store_constructed;
  object_class->dispose = vigil_state_store_dispose;
  object_class->finalize = vigil_state_store_finalize;
  object_class->get_property = vigil_state_store_get_property;
  object_class->set_property = vigil_state_store_set_property;

  properties[PROP_TRACKER] =
    g_param_spec_object ("tracker", NULL, NULL, VIGIL_TYPE_TRACKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELAY_MS] =
    g_param_spec_uint ("delay-ms", NULL, NULL, 0, 60 * 1000, 500,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
vigil_state_store_init (VigilStateStore *self)
{
  self->history = g_list_store_new (VIGIL_TYPE_HISTORY_ENTRY);
  self->foreign_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_state_job_free);
  self->saved = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) vigil_state_job_free);
  self->to_check = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilStateStore *
vigil_state_store_new (VigilTracker *tracker,
                       const char   *directory)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);

  return g_object_new (VIGIL_TYPE_STATE_STORE, "tracker", tracker, "directory", directory, NULL);
}

/* A second server's store: its own file in the same directory, so that no
 * two stores ever write one file. */
VigilStateStore *
vigil_state_store_new_for_file (VigilTracker *tracker,
                                const char   *directory,
                                const char   *file_name)
{
  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (file_name != NULL && strchr (file_name, G_DIR_SEPARATOR) == NULL, NULL);

  return g_object_new (VIGIL_TYPE_STATE_STORE, "tracker", tracker, "directory", directory,
                       "file-name", file_name, NULL);
}

char *
vigil_state_store_file_name_for_url (const char *base_url)
{
  g_autofree char *sum = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, base_url, -1);
  return g_strdup_printf ("state-%s.json", sum);
}

/* An old state.json (the first server's file, from before every server
 * had its own) becomes this server's file, unless that exists already. */
static void
adopt_legacy_file (const char *directory,
                   const char *file_name)
{
  g_autofree char *legacy = g_build_filename (directory, VIGIL_STATE_STORE_FILE_NAME, NULL);
  g_autofree char *path = g_build_filename (directory, file_name, NULL);

  if (!g_file_test (legacy, G_FILE_TEST_IS_REGULAR) || g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (g_rename (legacy, path) != 0)
    g_debug ("Could not rename %s to %s: %s", legacy, path, g_strerror (errno));
}

VigilStateStore *
vigil_state_store_new_for_server (VigilTracker *tracker,
                                  const char   *directory,
                                  gboolean      adopt_legacy)
{
  VigilApiClient *client;
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);

  client = vigil_tracker_get_client (tracker);
  file_name = vigil_state_store_file_name_for_url (vigil_api_client_get_base_url (client));
  if (adopt_legacy && directory != NULL)
    adopt_legacy_file (directory, file_name);
  return vigil_state_store_new_for_file (tracker, directory, file_name);
}

/* Writes what changed, then stops listening: nothing the tracker does
 * afterwards (its jobs untracked as its server goes away) reaches the
 * file, which keeps them as they were. */
gboolean
vigil_state_store_close (VigilStateStore  *self,
                         GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = vigil_state_store_flush (self, error);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->tracker != NULL)
    {
      VigilApiClient *client = vigil_tracker_get_client (self->tracker);

      g_clear_signal_handler (&self->finished_handler, self->tracker);
      g_clear_signal_handler (&self->items_handler, vigil_tracker_get_jobs (self->tracker));
      g_clear_signal_handler (&self->tracked_handler, vigil_tracker_get_poller (self->tracker));
      g_clear_signal_handler (&self->progress_handler, client);
      g_clear_signal_handler (&self->record_handler, client);
    }
  self->read_only = TRUE;
  return ok;
}

const char *
vigil_state_store_get_path (VigilStateStore *self)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);

  return self->path;
}

GListModel *
vigil_state_store_get_history (VigilStateStore *self)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);

  return G_LIST_MODEL (self->history);
}

VigilTracker *
vigil_state_store_get_tracker (VigilStateStore *self)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), NULL);

  return self->tracker;
}

gboolean
vigil_state_store_load (VigilStateStore  *self,
                        GError          **error)
{
  g_autoptr(VigilState) state = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), FALSE);
  g_return_val_if_fail (!self->loaded, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->loaded = TRUE;
  if (self->path == NULL)
    return TRUE;

  state = read_file (self, &local_error);
  if (local_error != NULL)
    {
      set_aside (self, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (state != NULL)
    restore (self, state);
  /* what changed before loading, e.g. a job that ended meanwhile */
  if (self->dirty)
    schedule_save (self, TRUE);
  return TRUE;
}

gboolean
vigil_state_store_flush (VigilStateStore  *self,
                         GError          **error)
{
  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  return save_now (self, error);
}

guint
vigil_state_store_clear_history (VigilStateStore *self)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), 0);

  model = G_LIST_MODEL (self->history);
  n = g_list_model_get_n_items (model);
  /* Even a clear of nothing is the last clear: an Undo after it must not
   * bring back what an older one took. */
  g_clear_pointer (&self->cleared, g_ptr_array_unref);
  if (n == 0)
    return 0;

  self->cleared = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->cleared, g_list_model_get_item (model, i));

  g_list_store_remove_all (self->history);
  mark_changed (self);
  return n;
}

guint
vigil_state_store_restore_history (VigilStateStore *self)
{
  g_autoptr(GPtrArray) cleared = NULL;
  guint before;

  g_return_val_if_fail (VIGIL_IS_STATE_STORE (self), 0);

  if (self->cleared == NULL)
    return 0;

  cleared = g_steal_pointer (&self->cleared);
  before = g_list_model_get_n_items (G_LIST_MODEL (self->history));
  for (guint i = 0; i < cleared->len; i++)
    add_to_history (self, g_ptr_array_index (cleared, i), FALSE);

  mark_changed (self);
  return g_list_model_get_n_items (G_LIST_MODEL (self->history)) - before;
}
